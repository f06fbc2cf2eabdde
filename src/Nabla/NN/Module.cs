using System.Reflection;

namespace Nabla.NN;

/// <summary>
/// The base of every layer and model: holds parameters (tensors trained by the optimizer), buffers
/// (state that is saved but not trained, such as batch-norm running statistics) and submodules,
/// each under a name, and computes <see cref="Forward(Tensor)"/>.
/// </summary>
/// <remarks>
/// Built-in layers register what they hold with <see cref="RegisterParameter"/>,
/// <see cref="RegisterBuffer"/> and <see cref="RegisterModule{T}"/>. A model written by a user
/// may do the same, or simply keep its layers and parameters in fields: on first use the module
/// discovers, in declaration order, every field of type <see cref="Module"/> (a submodule) and every
/// <see cref="Tensor"/> field that <see cref="Tensor.RequiresGrad"/> (a parameter) that was not
/// registered, and names them after the field (<c>_fc1</c> and the property <c>Fc1</c> are both
/// "fc1"). Names join with dots across submodules, as in PyTorch: "encoder.0.weight".
/// </remarks>
/// <example>
/// <code>
/// sealed class TwoLayer : Module
/// {
///     private readonly Linear _hidden = new(4, 8), _output = new(8, 1);
///     public override Tensor Forward(Tensor x) => _output.Forward(_hidden.Forward(x).Tanh());
/// }
/// </code>
/// </example>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _modules = [];
    private bool _discovered;

    /// <summary>Whether the module is in training mode (the default) rather than evaluation mode; see <see cref="Train"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the module's output for <paramref name="input"/>.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Registers a parameter under <paramref name="name"/> and returns it; it must be a floating-point leaf.</summary>
    /// <exception cref="ArgumentException">The name is invalid or already used, or the tensor is not a floating-point leaf.</exception>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckName(name);
        if (!parameter.IsFloatingPoint || !parameter.IsLeaf)
            throw new ArgumentException($"{GetType().Name}: parameter '{name}' must be a floating-point leaf tensor (created, not computed), got {(parameter.IsFloatingPoint ? "a computed tensor" : "an Int32 tensor")}.", nameof(parameter));
        parameter.RequiresGrad = true;
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers a buffer, state saved in <see cref="StateDict"/> but not trained, and returns it.</summary>
    /// <exception cref="ArgumentException">The name is invalid or already used.</exception>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckName(name);
        _buffers.Add(new(name, buffer));
        return buffer;
    }

    /// <summary>Registers a submodule under <paramref name="name"/> and returns it.</summary>
    /// <exception cref="ArgumentException">The name is invalid or already used, or the module would contain itself.</exception>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        if (ReferenceEquals(module, this) || module.NamedModules().Any(m => ReferenceEquals(m.Module, this)))
            throw new ArgumentException($"{GetType().Name}: submodule '{name}' would contain the module itself.", nameof(module));
        _modules.Add(new(name, module));
        module.SetMode(IsTraining);
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('.'))
            throw new ArgumentException($"{GetType().Name}: a parameter, buffer or module name must be non-empty and contain no '.', got \"{name}\".", nameof(name));
        if (_parameters.Any(p => p.Key == name) || _buffers.Any(b => b.Key == name) || _modules.Any(m => m.Key == name))
            throw new ArgumentException($"{GetType().Name}: the name '{name}' is already used.", nameof(name));
    }

    /// <summary>The submodules directly inside this one, with their names.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren()
    {
        Discover();
        return _modules;
    }

    /// <summary>This module and every module inside it, depth first, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        yield return ("", this);
        foreach (var (name, child) in NamedChildren())
            foreach (var (inner, module) in child.NamedModules())
                yield return (inner.Length == 0 ? name : $"{name}.{inner}", module);
    }

    /// <summary>Every parameter of this module and its submodules with its dotted name, each tensor once.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
        {
            module.Discover();
            foreach (var (name, p) in module._parameters)
                if (seen.Add(p)) yield return (Join(prefix, name), p);
        }
    }

    /// <summary>Every parameter of this module and its submodules, each once: what an optimizer trains.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every buffer of this module and its submodules with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (prefix, module) in NamedModules())
            foreach (var (name, b) in module._buffers)
                yield return (Join(prefix, name), b);
    }

    /// <summary>The number of trainable values (elements of all parameters).</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Length);

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    /// <summary>Puts this module and its submodules in training mode (dropout active, batch statistics) and returns it.</summary>
    public Module Train()
    {
        SetMode(true);
        return this;
    }

    /// <summary>Puts this module and its submodules in evaluation mode (no dropout, running statistics) and returns it.</summary>
    public Module Eval()
    {
        SetMode(false);
        return this;
    }

    private void SetMode(bool training)
    {
        foreach (var (_, module) in NamedModules()) module.IsTraining = training;
    }

    /// <summary>Clears the gradient of every parameter (sets it to null), before the next backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = null;
    }

    /// <summary>
    /// The module's state: every parameter and buffer under its dotted name, in PyTorch's
    /// <c>state_dict</c> order (each module's parameters, then its buffers, then its submodules').
    /// The tensors are the module's own (not copies): save them, or copy them to keep a snapshot.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
        {
            module.Discover();
            foreach (var (name, p) in module._parameters)
                if (seen.Add(p)) state[Join(prefix, name)] = p;
            foreach (var (name, b) in module._buffers)
                state.TryAdd(Join(prefix, name), b);
        }
        return state;
    }

    /// <summary>
    /// Copies values into this module's parameters and buffers (in place, so optimizers keep working).
    /// Every name, shape and dtype is checked before anything is copied, so a mismatch changes nothing.
    /// </summary>
    /// <param name="state">Tensors by dotted name, as <see cref="StateDict"/> gives them.</param>
    /// <param name="strict">Whether names missing from <paramref name="state"/>, or names this module does not have, are errors.</param>
    /// <exception cref="ArgumentException">A name is missing or unknown (when strict), or a shape or dtype differs; the message lists them.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var problems = new List<string>();
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (missing.Count > 0) problems.Add($"missing: {string.Join(", ", missing)}");
            if (unexpected.Count > 0) problems.Add($"unexpected: {string.Join(", ", unexpected)}");
        }
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source)) continue;
            ArgumentNullException.ThrowIfNull(source, $"state[\"{name}\"]");
            if (!source.Shape.SequenceEqual(target.Shape))
                problems.Add($"'{name}' has shape {Shapes.Format(source.ShapeArray)}, the module expects {Shapes.Format(target.ShapeArray)}");
            else if (source.DType != target.DType)
                problems.Add($"'{name}' is {source.DType}, the module expects {target.DType}");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"{GetType().Name}.LoadStateDict: the state does not fit the module: {string.Join("; ", problems)}.", nameof(state));
        foreach (var (name, target) in own)
            if (state.TryGetValue(name, out var source) && !ReferenceEquals(source, target))
                Array.Copy(source.Storage, target.Storage, target.Length);
    }

    /// <summary>A one-line-per-module description: each module's type and parameter shapes, indented by depth.</summary>
    public override string ToString()
    {
        var lines = new List<string>();
        foreach (var (name, module) in NamedModules())
        {
            int depth = name.Length == 0 ? 0 : name.Count(c => c == '.') + 1;
            string label = name.Length == 0 ? module.GetType().Name : $"({name[(name.LastIndexOf('.') + 1)..]}): {module.GetType().Name}";
            module.Discover();
            string shapes = string.Join(", ", module._parameters.Select(p => $"{p.Key} {Shapes.Format(p.Value.ShapeArray)}"));
            lines.Add(new string(' ', 2 * depth) + label + (shapes.Length > 0 ? $" [{shapes}]" : ""));
        }
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>
    /// Finds, once, the submodule and parameter fields a subclass did not register; see the remarks
    /// on <see cref="Module"/>. Runs on first use, after every constructor has finished.
    /// </summary>
    private void Discover()
    {
        if (_discovered) return;
        _discovered = true;
        var types = new Stack<Type>();
        for (var t = GetType(); t is not null && t != typeof(Module); t = t.BaseType) types.Push(t);
        foreach (var type in types)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                object? value = field.GetValue(this);
                if (value is Module module && !_modules.Any(m => ReferenceEquals(m.Value, module)) && !ReferenceEquals(module, this))
                {
                    _modules.Add(new(UniqueName(FieldName(field)), module));
                    module.SetMode(IsTraining);
                }
                else if (value is Tensor { RequiresGrad: true, IsLeaf: true } tensor
                         && !_parameters.Any(p => ReferenceEquals(p.Value, tensor)) && !_buffers.Any(b => ReferenceEquals(b.Value, tensor)))
                {
                    _parameters.Add(new(UniqueName(FieldName(field)), tensor));
                }
            }
        }
    }

    private string UniqueName(string name)
    {
        string candidate = name;
        for (int i = 2; _parameters.Any(p => p.Key == candidate) || _buffers.Any(b => b.Key == candidate) || _modules.Any(m => m.Key == candidate); i++)
            candidate = $"{name}{i}";
        return candidate;
    }

    /// <summary>"_fc1", "fc1" and the auto-property backing field "&lt;Fc1&gt;k__BackingField" all give "fc1".</summary>
    private static string FieldName(FieldInfo field)
    {
        string name = field.Name;
        if (name.StartsWith('<')) name = name[1..name.IndexOf('>')];
        name = name.TrimStart('_');
        return name.Length == 0 ? field.Name : char.ToLowerInvariant(name[0]) + name[1..];
    }
}
