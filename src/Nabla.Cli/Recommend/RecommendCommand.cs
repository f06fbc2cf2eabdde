using System.CommandLine;
using System.Text;
using System.Text.Json;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.IO;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla recommend --model FILE --user ID</c> (or <c>--users FILE</c> for many): the top items of a recommender for each user,
/// best first, the items the user had in training left out unless <c>--include-seen</c>; as CSV (user, rank, item, score,
/// cold_start) or one JSON object. A user not seen in training gets the cold-start ranking (popularity, or the item biases of
/// explicit ratings), marked as such and warned about.
/// </summary>
internal static class RecommendCommand
{
    /// <summary>Users ranked per batch: each batch is one matrix product and its lists are written before the next, so memory stays bounded.</summary>
    private const int UsersPerBatch = 4096;

    /// <summary>Items per user when --top is not given.</summary>
    private const int DefaultTop = 10;

    public static Command Create(Option<bool> verbose)
    {
        var model = new Option<string>("--model") { Description = "The recommender's model file written by 'nabla train --model mf' (.safetensors).", HelpName = "FILE", Required = true };
        var user = new Option<string?>("--user") { Description = "The user to recommend for, as the training data wrote the id.", HelpName = "ID" };
        var users = new Option<string?>("--users") { Description = "A CSV file of users to recommend for: its column named as the model's user column (or its only column), one user per row.", HelpName = "FILE" };
        var top = new Option<int>("--top") { CustomParser = InvariantNumber.ParseWhole<int>, Description = $"How many items to recommend per user, at least 1; by default {DefaultTop}.", HelpName = "N", DefaultValueFactory = _ => DefaultTop };
        var includeSeen = new Option<bool>("--include-seen") { Description = "Also rank the items the user had in training (by default they are left out)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of CSV: each user's recommendations as objects with the item id as the data wrote it and its score." };
        var output = new Option<string?>("--out") { Description = "Write the recommendations to this file (atomically) instead of standard output; its folder must exist.", HelpName = "PATH" };
        var command = new Command("recommend", "Recommend items with a recommender model file (nabla train --model mf): the top items for a user, or for every user of a CSV file.");
        foreach (var option in new Option[] { model, user, users, top, includeSeen, json, output }) command.Options.Add(option);
        var limits = new CsvLimitOptions();
        limits.AddTo(command);
        command.Validators.Add(result =>
        {
            bool one = result.GetResult(user) is { Implicit: false }, many = result.GetResult(users) is { Implicit: false };
            if (one == many) result.AddError("Give either --user ID (one user) or --users FILE (a CSV file of users).");
        });
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () =>
        {
            int count = parse.GetValue(top);
            if (count < 1) throw new CommandInputException($"--top must be at least 1, got {count}.");
            if (parse.GetValue(output) is { } outPath) OutputPath.Check("--out", outPath);
            if (parse.GetValue(users) is null && limits.FirstGiven(parse.GetResult) is { } limit)
                throw new CommandInputException($"{limit} bounds the CSV file of --users; it does not apply to --user.");
            var recommender = RecommenderModel.Load(parse.GetValue(model)!);
            var (ids, texts) = parse.GetValue(users) is { } usersPath ? ReadUsers(recommender, usersPath, limits.Read(parse)) : OneUser(recommender, parse.GetValue(user)!);
            Write(recommender, ids, texts, count, !parse.GetValue(includeSeen), parse.GetValue(json), parse.GetValue(output));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (int?[] Ids, string[] Texts) OneUser(RecommenderModel recommender, string text) => ([recommender.UserId(text, "--user")], [text]);

    /// <summary>The users of a CSV file: its column named as the model's user column, or its only column.</summary>
    private static (int?[] Ids, string[] Texts) ReadUsers(RecommenderModel recommender, string path, CsvLimits limits)
    {
        if (!File.Exists(path)) throw new CommandInputException($"--users '{path}': there is no such file.");
        string column = recommender.Ids.UserColumn;
        var table = Csv.Read(path, limits, header => header.Contains(column) ? [column]
            : header.Count == 1 ? [header[0]]
            : throw new InvalidDataException($"{path}, line 1: there is no column '{column}', the model's user column; the columns are {string.Join(", ", header)}."));
        var cells = table.Columns[0];
        var ids = new int?[table.RowCount];
        var texts = new string[table.RowCount];
        for (int r = 0; r < ids.Length; r++)
        {
            bool missing = cells.IsNumeric ? double.IsNaN(cells.Numbers[r]) : cells.Codes[r] < 0;
            if (missing) throw new InvalidDataException($"{path}, line {table.LineOf(r)}, column '{cells.Name}': the cell is missing; expected a user id.");
            texts[r] = cells.IsNumeric ? RecommenderModel.Score(cells.Numbers[r]) : cells.Categories[cells.Codes[r]];
            ids[r] = recommender.UserId(texts[r], $"{path}, line {table.LineOf(r)}, column '{cells.Name}'");
        }
        return (ids, texts);
    }

    /// <summary>Ranks the users a batch at a time and writes each batch's lists before the next, as CSV or one JSON object.</summary>
    private static void Write(RecommenderModel recommender, int?[] ids, string[] texts, int count, bool excludeSeen, bool json, string? outPath)
    {
        var model = recommender.Model;
        int cold = 0;
        string? firstCold = null;
        void Emit(Stream stream)
        {
            using var text = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            using var writer = json ? new Utf8JsonWriter(stream) : null;
            if (writer is not null)
            {
                writer.WriteStartObject();
                writer.WriteString("command", "recommend");
                writer.WriteString("model", recommender.Path);
                writer.WriteNumber("top", count);
                writer.WriteBoolean("includeSeen", !excludeSeen);
                writer.WriteStartArray("users");
            }
            else text.WriteLine("user,rank,item,score,cold_start");
            for (int start = 0; start < ids.Length; start += UsersPerBatch)
            {
                int end = Math.Min(ids.Length, start + UsersPerBatch);
                // A label never seen in training has no id: it is ranked as any unknown user, by the id no label has.
                int[] batch = [.. Enumerable.Range(start, end - start).Select(r => ids[r] ?? IdMap.UnknownLabel)];
                var lists = model.Recommend(batch, count, excludeSeen);
                for (int b = 0; b < batch.Length; b++)
                {
                    var list = lists[b];
                    if (list.ColdStart && cold++ == 0) firstCold = texts[start + b];
                    if (writer is not null) WriteJson(writer, recommender, texts[start + b], batch[b], list);
                    else
                        for (int rank = 0; rank < list.Count; rank++)
                            text.WriteLine($"{Csv.Field(texts[start + b])},{rank + 1},{Csv.Field(recommender.Ids.Items.Text(list[rank].Item))},{RecommenderModel.Score(list[rank].Score)},{(list.ColdStart ? "true" : "false")}");
                }
                writer?.Flush();
                text.Flush();
            }
            if (writer is not null)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.Flush();
                stream.WriteByte((byte)'\n');
            }
        }
        if (outPath is null)
        {
            using var stdout = Console.OpenStandardOutput();
            Emit(stdout);
        }
        else AtomicFile.Write(Path.GetFullPath(outPath), Emit);
        if (cold > 0)
            TrainOutput.WriteWarning(cold == 1
                ? $"user {firstCold} was not seen in training: the list is the cold-start ranking ({(model.IsImplicit ? "the most popular items" : "the items with the highest bias")}), the same for every new user."
                : $"{cold} users (the first: {firstCold}) were not seen in training: their lists are the cold-start ranking ({(model.IsImplicit ? "the most popular items" : "the items with the highest bias")}).");
        if (outPath is not null && !json) TerminalWriter.Out.WriteLine($"Recommendations for {ids.Length} {(ids.Length == 1 ? "user" : "users")} written to {outPath}");
    }

    private static void WriteJson(Utf8JsonWriter json, RecommenderModel recommender, string userText, int user, Recommendations list)
    {
        json.WriteStartObject();
        if (list.ColdStart && recommender.Ids.Users.IsLabels) json.WriteString("user", userText);
        else RecommenderModel.WriteId(json, "user", recommender.Ids.Users, user);
        json.WriteBoolean("coldStart", list.ColdStart);
        json.WriteStartArray("recommendations");
        foreach (var recommendation in list)
        {
            json.WriteStartObject();
            RecommenderModel.WriteId(json, "item", recommender.Ids.Items, recommendation.Item);
            json.WriteNumber("score", recommendation.Score);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
