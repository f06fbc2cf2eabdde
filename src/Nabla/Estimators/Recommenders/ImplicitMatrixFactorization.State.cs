using System.Text.Json.Nodes;

namespace Nabla.Estimators;

// ImplicitMatrixFactorization as a saved state (the model file's form).
public sealed partial class ImplicitMatrixFactorization
{
    /// <summary>The estimator's kind in a model file.</summary>
    internal const string KindName = "implicit_matrix_factorization";

    /// <summary>
    /// The fitted state: the constructor's settings; fitted "n_users", "n_items" and "n_seen" (distinct
    /// pairs of positive strength); tensors "user_ids" and "item_ids" (Int32, in the order of the rows
    /// below), "user_factors" (users × k), "item_factors" (items × k), with BPR "item_bias", "loss_curve",
    /// and which items each user interacted with ("seen_offsets", users + 1, into "seen_items", item
    /// rows, each user's increasing), which <see cref="Recommend(int, int, bool)"/> leaves out and the
    /// popularity is counted from.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not fitted yet.</exception>
    internal EstimatorState ExportState()
    {
        RequireFitted("saving");
        var settings = new JsonObject
        {
            ["n_factors"] = NFactors, ["alpha"] = Alpha, ["confidence"] = Confidence, ["max_iter"] = MaxIter,
            ["solver"] = StateSection.Node(Solver), ["learning_rate"] = LearningRate, ["init_std"] = InitStd, ["random_state"] = RandomState,
        };
        var fitted = new JsonObject { ["n_users"] = NUsers, ["n_items"] = NItems, ["n_seen"] = _seen.Pairs };
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["user_ids"] = Tensor.FromArray(_userIds),
            ["item_ids"] = Tensor.FromArray(_itemIds),
            ["user_factors"] = Tensor.FromArray(_userFactors, NUsers, NFactors),
            ["item_factors"] = Tensor.FromArray(_itemFactors, NItems, NFactors),
            ["loss_curve"] = Tensor.FromArray(_lossCurve.ToArray()),
            ["seen_offsets"] = Tensor.FromArray(_seen.Offsets),
            ["seen_items"] = Tensor.FromArray(_seen.Items),
        };
        if (_itemBias is not null) tensors["item_bias"] = Tensor.FromArray(_itemBias);
        return new EstimatorState(KindName, settings.ToJsonString(), fitted.ToJsonString(), tensors, null);
    }

    /// <summary>The fitted model a saved state describes; the settings are checked as the constructor checks them, the ids and seen lists for consistency (the file's reader has checked that every value is finite).</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value or tensor is missing, malformed or out of range, an id repeats, or a seen list is not a valid index.</exception>
    internal static ImplicitMatrixFactorization FromState(StateReader state)
    {
        var s = state.Settings;
        var model = StateReader.Build(() => new ImplicitMatrixFactorization(s.Integer("n_factors"), s.Number("alpha"), s.Number("confidence"), s.Integer("max_iter"),
            s.Choice<ImplicitSolver>("solver"), s.Number("learning_rate"), s.Number("init_std"), s.Seed("random_state")));
        int users = state.Fitted.Integer("n_users", 1), items = state.Fitted.Integer("n_items", 1), pairs = state.Fitted.Integer("n_seen", 1), k = model.NFactors;
        var userIds = (int[])state.Tensor("user_ids", DType.Int32, users).Int32Data.Clone();
        var itemIds = (int[])state.Tensor("item_ids", DType.Int32, items).Int32Data.Clone();
        var offsets = state.Tensor("seen_offsets", DType.Int32, users + 1).Int32Data;
        var seenItems = state.Tensor("seen_items", DType.Int32, pairs).Int32Data;
        model._userFactors = state.Values("user_factors", users, k);
        model._itemFactors = state.Values("item_factors", items, k);
        if (model.Solver == ImplicitSolver.Bpr) model._itemBias = state.Values("item_bias", items);
        model._lossCurve.AddRange(state.Values("loss_curve", model.MaxIter));
        model._userIndex = RecommenderIds.Read(userIds, "user");
        model._itemIndex = RecommenderIds.Read(itemIds, "item");
        model._userIds = userIds;
        model._itemIds = itemIds;
        model._seen = SeenItems.Read(offsets, seenItems, items, "seen");
        return model;
    }
}
