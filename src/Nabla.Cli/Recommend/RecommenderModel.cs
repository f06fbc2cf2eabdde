using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// A recommender's model file as <c>nabla recommend</c> and <c>nabla similar</c> use it: the fitted model and the id maps that
/// turn the ids users type (as the data wrote them) into the model's ids and back.
/// </summary>
/// <param name="Path">The model file.</param>
/// <param name="Model">The fitted recommender.</param>
/// <param name="Ids">The preprocessing: the user and item columns and their id maps.</param>
internal sealed record RecommenderModel(string Path, IRecommender Model, RatingsPreprocessor Ids)
{
    /// <summary>Reads the model file, refusing one that holds another kind of model.</summary>
    /// <exception cref="CommandInputException">The file holds a model that is not a recommender.</exception>
    /// <exception cref="ModelFileException">The file is not a valid model file.</exception>
    public static RecommenderModel Load(string path)
    {
        var pipeline = ModelPipeline.Load(path);
        if (pipeline.Model.Estimator is not IRecommender model || pipeline.Preprocessor is not RatingsPreprocessor ids)
            throw new CommandInputException($"--model '{path}' holds a {pipeline.Model.Kind} model, not a recommender; train one with nabla train --model mf --user COLUMN --item COLUMN.");
        return new RecommenderModel(path, model, ids);
    }

    /// <summary>The model's id of a user as typed; for whole-number ids, text that is not one is an error naming <paramref name="where"/>.</summary>
    /// <returns>The id, or null for a label not seen in training (a cold-start user).</returns>
    /// <exception cref="CommandInputException">The model's user ids are whole numbers and <paramref name="text"/> is not one.</exception>
    public int? UserId(string text, string where)
    {
        if (Ids.Users.TryParse(text, out int id)) return id;
        if (Ids.Users.IsLabels) return null;
        throw new CommandInputException($"{where}: '{text}' is not a user id; the users of '{Path}' are whole numbers (column {Ids.UserColumn}).");
    }

    /// <summary>The model's id of an item as typed, which must be an item seen in training.</summary>
    /// <exception cref="CommandInputException">The item was not seen in training, or is not an id at all.</exception>
    public int ItemId(string text, string where)
    {
        if (Ids.Items.TryParse(text, out int id) && Model.IsKnownItem(id)) return id;
        string kind = Ids.Items.IsLabels ? "labels" : "whole numbers";
        throw new CommandInputException($"{where}: the item '{text}' was not seen in training, so '{Path}' has no factors for it (its {Model.NItems:N0} items are {kind}, column {Ids.ItemColumn}).");
    }

    /// <summary>Writes an id as the data did: a JSON number for whole-number ids, a string for labels.</summary>
    public static void WriteId(Utf8JsonWriter json, string name, IdMap map, int id)
    {
        if (map.IsLabels) json.WriteString(name, map.Text(id));
        else json.WriteNumber(name, id);
    }

    /// <summary>A score as CSV and JSON write it: the shortest text that reads back to the same double.</summary>
    public static string Score(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
