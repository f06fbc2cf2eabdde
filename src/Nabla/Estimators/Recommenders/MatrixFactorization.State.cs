using System.Globalization;
using System.Text.Json.Nodes;

namespace Nabla.Estimators;

// MatrixFactorization as a saved state (the model file's form), beside the fitting and predicting in MatrixFactorization.cs.
public sealed partial class MatrixFactorization
{
    /// <summary>The estimator's kind in a model file.</summary>
    internal const string KindName = "matrix_factorization";

    /// <summary>
    /// The fitted state: the constructor's settings; fitted "n_users", "n_items", "n_rated" (distinct
    /// pairs rated in training), and "min_rating" and "max_rating" (the range predictions are clipped to); tensors "global_mean" (a scalar), "user_ids" and "item_ids" (Int32, in
    /// the order of the rows below), "user_bias", "item_bias", "user_factors" (users × k), "item_factors"
    /// (items × k), "loss_curve", and which items each user rated ("rated_offsets", users + 1, into
    /// "rated_items", item rows, each user's sorted) for <see cref="Recommend(int, int, bool)"/> to leave out.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not fitted yet.</exception>
    internal EstimatorState ExportState()
    {
        RequireFitted("saving");
        var userIds = RecommenderIds.InRowOrder(_userIndex!);
        var settings = new JsonObject
        {
            ["n_factors"] = NFactors, ["alpha"] = Alpha, ["learning_rate"] = LearningRate, ["max_iter"] = MaxIter,
            ["solver"] = StateSection.Node(Solver), ["use_biases"] = UseBiases, ["init_std"] = InitStd, ["random_state"] = RandomState,
            ["batch_size"] = BatchSize,
        };
        var fitted = new JsonObject
        {
            ["n_users"] = userIds.Length, ["n_items"] = _itemIds.Length, ["n_rated"] = _seen.Pairs, ["min_rating"] = MinRating, ["max_rating"] = MaxRating,
        };
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["global_mean"] = Tensor.Scalar(GlobalMean, DType.Float64),
            ["user_ids"] = Tensor.FromArray(userIds),
            ["item_ids"] = Tensor.FromArray(_itemIds),
            ["user_bias"] = Tensor.FromArray(_userBias),
            ["item_bias"] = Tensor.FromArray(_itemBias),
            ["user_factors"] = Tensor.FromArray(_userFactors, userIds.Length, NFactors),
            ["item_factors"] = Tensor.FromArray(_itemFactors, _itemIds.Length, NFactors),
            ["loss_curve"] = Tensor.FromArray(_lossCurve.ToArray()),
            ["rated_offsets"] = Tensor.FromArray(_seen.Offsets),
            ["rated_items"] = Tensor.FromArray(_seen.Items),
        };
        return new EstimatorState(KindName, settings.ToJsonString(), fitted.ToJsonString(), tensors, null);
    }

    /// <summary>The fitted model a saved state describes; the settings are checked as the constructor checks them, the ids and rated lists for consistency.</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value or tensor is missing, malformed or out of range, the rating range is empty, an id repeats, or a rated list is not a valid index.</exception>
    internal static MatrixFactorization FromState(StateReader state)
    {
        var s = state.Settings;
        var model = StateReader.Build(() => new MatrixFactorization(s.Integer("n_factors"), s.Number("alpha"), s.Number("learning_rate"), s.Integer("max_iter"),
            s.Choice<MatrixFactorizationSolver>("solver"), s.Flag("use_biases"), s.Number("init_std"), s.Seed("random_state"), s.Integer("batch_size")));
        int users = state.Fitted.Integer("n_users", 1), items = state.Fitted.Integer("n_items", 1), pairs = state.Fitted.Integer("n_rated", 1), k = model.NFactors;
        var userIds = state.Tensor("user_ids", DType.Int32, users).Int32Data;
        var itemIds = (int[])state.Tensor("item_ids", DType.Int32, items).Int32Data.Clone();
        var offsets = state.Tensor("rated_offsets", DType.Int32, users + 1).Int32Data;
        var ratedItems = state.Tensor("rated_items", DType.Int32, pairs).Int32Data;
        model.GlobalMean = state.Values("global_mean")[0];
        (model.MinRating, model.MaxRating) = (state.Fitted.Number("min_rating"), state.Fitted.Number("max_rating"));
        if (!(model.MinRating <= model.MaxRating))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"its \"min_rating\" {model.MinRating} is above its \"max_rating\" {model.MaxRating}"));
        model._userBias = state.Values("user_bias", users);
        model._itemBias = state.Values("item_bias", items);
        model._userFactors = state.Values("user_factors", users, k);
        model._itemFactors = state.Values("item_factors", items, k);
        model._lossCurve.AddRange(state.Values("loss_curve", model.MaxIter));
        model._userIndex = RecommenderIds.Read(userIds, "user");
        model._itemIndex = RecommenderIds.Read(itemIds, "item");
        model._itemIds = itemIds;
        model._seen = SeenItems.Read(offsets, ratedItems, items, "rated");
        return model;
    }
}
