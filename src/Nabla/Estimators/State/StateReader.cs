using Nabla.IO;

namespace Nabla.Estimators;

/// <summary>
/// Reads an <see cref="EstimatorState"/> without trusting it, for an estimator to rebuild itself:
/// each setting and fitted value is checked for presence and type as it is read, each tensor for
/// presence, type and the exact shape the estimator needs, and <see cref="Finish"/> refuses anything
/// that was not read. Every problem is an <see cref="InvalidDataException"/> whose message says what
/// is wrong ("tensor \"coef\" has shape [3, 5], the model needs [3, 4]").
/// </summary>
internal sealed class StateReader
{
    private readonly EstimatorState _state;
    private readonly HashSet<string> _readTensors = new(StringComparer.Ordinal);

    /// <exception cref="InvalidDataException">The settings or the fitted values are not JSON objects, or name a field twice.</exception>
    public StateReader(EstimatorState state)
    {
        _state = state;
        Settings = new StateSection(state.Settings, "its settings");
        Fitted = new StateSection(state.Fitted, "its fitted values");
    }

    /// <summary>The estimator's settings, read as the constructor's arguments.</summary>
    public StateSection Settings { get; }

    /// <summary>What the fit learnt besides the arrays: "n_features_in", counters.</summary>
    public StateSection Fitted { get; }

    /// <summary>The tensor <paramref name="name"/>, which must be of type <paramref name="dtype"/> and shape <paramref name="shape"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing, or of another type or shape.</exception>
    public Tensor Tensor(string name, DType dtype, params int[] shape)
    {
        _readTensors.Add(name);
        if (!_state.Tensors.TryGetValue(name, out var tensor)) throw new InvalidDataException($"the tensor \"{name}\" is missing");
        if (tensor.DType != dtype)
            throw new InvalidDataException($"tensor \"{name}\" is {SafetensorsDType.NameOf(tensor.DType)}, expected {SafetensorsDType.NameOf(dtype)}");
        if (!tensor.Shape.SequenceEqual(shape))
            throw new InvalidDataException($"tensor \"{name}\" has shape {Shapes.Format(tensor.ShapeArray)}, the model needs {Shapes.Format(shape)}");
        return tensor;
    }

    /// <summary>The Float64 values of the tensor <paramref name="name"/> of shape <paramref name="shape"/>, copied.</summary>
    /// <exception cref="InvalidDataException">It is missing, or of another type or shape.</exception>
    public double[] Values(string name, params int[] shape) => (double[])Tensor(name, DType.Float64, shape).Float64Data.Clone();

    /// <summary>The classifier's classes, checked (<see cref="LabelText.Read"/>).</summary>
    /// <exception cref="InvalidDataException">There are none, or they are malformed.</exception>
    public ClassLabels Classes() =>
        _state.Classes is { } classes ? LabelText.Read(classes) : throw new InvalidDataException("a classifier needs its classes, but there are none");

    /// <summary>Runs the estimator's constructor on the settings read; its checks are the file's: an argument it refuses is a bad file.</summary>
    /// <exception cref="InvalidDataException">The constructor refused a setting; the message is its own.</exception>
    public static T Build<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"its settings are out of range: {MessageOf(e)}", e);
        }
    }

    /// <summary>Refuses settings, fitted values and tensors the estimator did not read: a file holds exactly its model.</summary>
    /// <exception cref="InvalidDataException">Something was not read; the message names it.</exception>
    public void Finish()
    {
        Settings.Finish();
        Fitted.Finish();
        var unread = _state.Tensors.Keys.Where(name => !_readTensors.Contains(name)).ToList();
        if (unread.Count > 0) throw new InvalidDataException($"tensors the model does not have: {string.Join(", ", unread)}");
    }

    /// <summary>An argument exception's message as one line, without the " (Parameter 'x')" and "Actual value was" parts .NET adds.</summary>
    public static string MessageOf(ArgumentException e)
    {
        string message = e.Message.Split('\n')[0].TrimEnd();
        string suffix = $" (Parameter '{e.ParamName}')";
        if (e.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        return message.TrimEnd('.');
    }
}
