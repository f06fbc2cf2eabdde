namespace Nabla.Estimators;

/// <summary>
/// A fitted estimator as data, the form a model file stores and loads without running code: its
/// kind ("ridge", "mlp_classifier", …), its settings (the constructor's arguments, by
/// scikit-learn's names) and a few fitted numbers as JSON objects, its learnt arrays as named
/// tensors and, for a classifier, its classes as text with their type.
/// </summary>
/// <param name="Kind">The estimator's kind, one of <see cref="EstimatorKinds.Names"/>.</param>
/// <param name="Settings">The settings as a JSON object: every constructor argument that shapes the model, enums in snake_case ("squared_hinge").</param>
/// <param name="Fitted">What the fit learnt besides the arrays, as a JSON object: "n_features_in" always, and counters such as "n_iter".</param>
/// <param name="Tensors">The learnt arrays by name ("coef", "intercept", "coefs.0", "user_factors", …).</param>
/// <param name="Classes">A classifier's classes in its column order, or null for a regressor.</param>
internal sealed record EstimatorState(string Kind, string Settings, string Fitted, IReadOnlyDictionary<string, Tensor> Tensors, ClassesText? Classes);

/// <summary>A classifier's classes as text: each label written as <see cref="LabelText"/> writes it, and the name of their type.</summary>
/// <param name="Type">The labels' type by its C# name: "string", "int", "long", "bool", "double", … (<see cref="LabelText.TypeNames"/>).</param>
/// <param name="Labels">The labels in the classifier's sorted order.</param>
internal sealed record ClassesText(string Type, IReadOnlyList<string> Labels);
