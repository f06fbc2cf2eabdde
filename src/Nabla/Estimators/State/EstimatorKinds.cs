namespace Nabla.Estimators;

/// <summary>
/// The estimators a model file can hold, by kind: each one's fitted state (<see cref="Export"/>) and
/// the fitted estimator a state describes (<see cref="Restore"/>). The one place that lists them.
/// </summary>
internal static class EstimatorKinds
{
    /// <summary>Every kind, in the order of the documentation.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        LinearRegression.KindName, Ridge.KindName, LogisticRegression.KindName, SgdRegressor.KindName, SgdClassifier.KindName,
        LinearSvc.KindName, MlpState.RegressorKind, MlpState.ClassifierKind, MatrixFactorization.KindName, ImplicitMatrixFactorization.KindName,
    ];

    /// <summary>Whether estimators of <paramref name="kind"/> predict classes.</summary>
    public static bool IsClassifier(string kind) =>
        kind is LogisticRegression.KindName or SgdClassifier.KindName or LinearSvc.KindName or MlpState.ClassifierKind;

    /// <summary>The fitted state of <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">The model is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The model is not an estimator a file can hold, or holds something a file cannot (labels of an unsupported type, batch normalisation).</exception>
    public static EstimatorState Export(object model) => model switch
    {
        LinearRegression m => m.ExportState(),
        Ridge m => m.ExportState(),
        LogisticRegression m => m.ExportState(),
        SgdRegressor m => m.ExportState(),
        SgdClassifier m => m.ExportState(),
        LinearSvc m => m.ExportState(),
        MlpRegressor m => MlpState.Export(m),
        MlpClassifier m => MlpState.Export(m),
        MatrixFactorization m => m.ExportState(),
        ImplicitMatrixFactorization m => m.ExportState(),
        _ => throw new ArgumentException($"A {model.GetType().Name} cannot be saved as a model file; the estimators that can are {string.Join(", ", Names)}.", nameof(model)),
    };

    /// <summary>The fitted estimator <paramref name="state"/> describes, having checked every part of it and that nothing else is there.</summary>
    /// <exception cref="InvalidDataException">The kind is unknown, or a setting, fitted value, tensor or class is missing, malformed, out of range or unexpected; the message says which.</exception>
    public static object Restore(EstimatorState state)
    {
        var reader = new StateReader(state);
        object model = state.Kind switch
        {
            LinearRegression.KindName => LinearRegression.FromState(reader),
            Ridge.KindName => Ridge.FromState(reader),
            LogisticRegression.KindName => LogisticRegression.FromState(reader),
            SgdRegressor.KindName => SgdRegressor.FromState(reader),
            SgdClassifier.KindName => SgdClassifier.FromState(reader),
            LinearSvc.KindName => LinearSvc.FromState(reader),
            MlpState.RegressorKind => MlpState.Regressor(reader),
            MlpState.ClassifierKind => MlpState.Classifier(reader),
            MatrixFactorization.KindName => MatrixFactorization.FromState(reader),
            ImplicitMatrixFactorization.KindName => ImplicitMatrixFactorization.FromState(reader),
            _ => throw new InvalidDataException($"its model is \"{state.Kind}\", which this Nabla does not know; the kinds are network, {string.Join(", ", Names)}"),
        };
        reader.Finish();
        return model;
    }
}
