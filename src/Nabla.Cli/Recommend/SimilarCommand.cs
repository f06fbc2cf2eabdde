using System.CommandLine;
using System.Text.Json;
using Nabla.Data;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla similar --model FILE --item ID</c>: the items of a recommender most like one item, by the cosine of their latent
/// factors, most similar first; as CSV (rank, item, similarity) or one JSON object.
/// </summary>
internal static class SimilarCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var model = new Option<string>("--model") { Description = "The recommender's model file written by 'nabla train --model mf' (.safetensors).", HelpName = "FILE", Required = true };
        var item = new Option<string>("--item") { Description = "The item to find similar items for, as the training data wrote the id; it must have been seen in training.", HelpName = "ID", Required = true };
        var top = new Option<int>("--top") { CustomParser = InvariantNumber.ParseWhole<int>, Description = "How many similar items to list, at least 1; by default 10.", HelpName = "N", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of CSV: the similar items as objects with the item id as the data wrote it and its similarity." };
        var command = new Command("similar", "List the items most similar to an item of a recommender model file (nabla train --model mf), by the cosine of their latent factors.");
        foreach (var option in new Option[] { model, item, top, json }) command.Options.Add(option);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () =>
        {
            int count = parse.GetValue(top);
            if (count < 1) throw new CommandInputException($"--top must be at least 1, got {count}.");
            var recommender = RecommenderModel.Load(parse.GetValue(model)!);
            string text = parse.GetValue(item)!;
            int id = recommender.ItemId(text, "--item");
            var similar = recommender.Model.SimilarItems(id, count);
            var items = recommender.Ids.Items;
            if (parse.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                using (var writer = new Utf8JsonWriter(stdout))
                {
                    writer.WriteStartObject();
                    writer.WriteString("command", "similar");
                    writer.WriteString("model", recommender.Path);
                    RecommenderModel.WriteId(writer, "item", items, id);
                    writer.WriteNumber("top", count);
                    writer.WriteStartArray("similar");
                    foreach (var neighbour in similar)
                    {
                        writer.WriteStartObject();
                        RecommenderModel.WriteId(writer, "item", items, neighbour.Item);
                        writer.WriteNumber("similarity", neighbour.Score);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                stdout.WriteByte((byte)'\n');
                return ExitCodes.Success;
            }
            var output = Console.Out;
            output.WriteLine("rank,item,similarity");
            for (int rank = 0; rank < similar.Count; rank++)
                output.WriteLine($"{rank + 1},{Csv.Field(items.Text(similar[rank].Item))},{RecommenderModel.Score(similar[rank].Score)}");
            output.Flush();
            return ExitCodes.Success;
        }));
        return command;
    }
}
