// Recommendations end to end: which items will a user like, judged from the ratings of everyone?
// Matrix factorization models the rating of item i by user u as
//     r̂ = μ + b_u + b_i + p_u · q_i
// a global mean, how generous the user is, how well liked the item is, and the dot product of
// 32 latent factors (tastes) each side, fitted to the known ratings by alternating least squares:
// with the items' factors fixed, each user's are a small ridge regression, solved exactly; then
// the same for the items; repeated 15 times. The penalty α = 0.05 on each rating's factors and
// biases keeps a user's 100 ratings from being fitted noise and all.
// Data: examples/data/ratings.csv, 30,000 ratings of 300 users × 200 items (1 to 5) drawn from a
// known rank-8 model plus noise of standard deviation 0.5 (SyntheticRatings, seed 17; users rate
// more of what they like), so the best possible RMSE is about 0.5. A fifth of the ratings is held
// out to measure the model.
// Run with --write-data PATH to draw the file again.
using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;

if (args is ["--write-data", var target])
{
    SyntheticRatings.Generate(users: 300, items: 200, density: 0.5, popularitySkew: 0.3, seed: 17, tasteSelection: 4).WriteCsv(target);
    Console.WriteLine($"wrote {target}");
    return;
}

var table = Csv.Read(Path.Combine(AppContext.BaseDirectory, "ratings.csv"));
var ids = RatingsPreprocessor.Fit(table, user: "user", item: "item", target: "rating");
int[] users = ids.UserIds(table), items = ids.ItemIds(table);
double[] ratings = ids.TransformTargets(table).ToArray<double>();

var split = TrainTestSplit.Create(ratings.Length, testSize: 0.2, randomState: 1);
var (trainUsers, testUsers) = split.Apply(users);
var (trainItems, testItems) = split.Apply(items);
var (trainRatings, testRatings) = split.Apply(ratings);
Console.WriteLine($"{ratings.Length:N0} ratings of {users.Distinct().Count():N0} users × {items.Distinct().Count():N0} items: {trainRatings.Length:N0} to train, {testRatings.Length:N0} to test");

var model = new MatrixFactorization(nFactors: 32, alpha: 0.05, maxIter: 15, solver: MatrixFactorizationSolver.Als, randomState: 1);
model.Fit(trainUsers, trainItems, trainRatings);

// How close the predicted ratings come, against guessing the training mean for every rating.
var (rmse, mae) = RecommenderEvaluation.Errors(model, testUsers, testItems, testRatings);
double meanOnly = Math.Sqrt(testRatings.Average(r => (r - model.GlobalMean) * (r - model.GlobalMean)));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Held-out RMSE {rmse:F3} (MAE {mae:F3}); the training mean alone: {meanOnly:F3}; the noise in the data: 0.5"));

// How well the top 10 of each user find the held-out items they rated 4 or more, against
// recommending the most-rated items to everyone (each list leaves out the user's training items).
bool[] liked = [.. testRatings.Select(r => r >= 4)];
var ranked = RecommenderEvaluation.Ranking(model, testUsers, testItems, k: 10, relevant: liked)!;
var popular = RecommenderEvaluation.Ranking(new PopularityRanking(trainUsers, trainItems), model.NItems, testUsers, testItems, k: 10, relevant: liked)!;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"NDCG@10 {ranked.Ndcg:F3} (popularity {popular.Ndcg:F3}); hit rate@10 {ranked.HitRate:F3} (popularity {popular.HitRate:F3}), over {ranked.Users:N0} users"));

foreach (int user in new[] { 7, 42 })
{
    var top = model.Recommend(user, 5);
    Console.WriteLine($"Top 5 for user {user}: " + string.Join(", ", top.Select(r => string.Create(CultureInfo.InvariantCulture, $"item {ids.Items.Text(r.Item)} ({r.Score:F2})"))));
}
