using System.Reflection;
using System.Reflection.Emit;

namespace Nabla.Tests.Kernels;

/// <summary>
/// Kernels sit below the tensor core: spans and arrays in, spans and arrays out. Nothing in
/// Nabla.Kernels may use a type of namespace Nabla (Tensor, DType, Shapes, ShapeMismatchException,
/// Generator, the graph...), in a signature, a field, a local or the code of a method body.
/// </summary>
public class KernelLayeringTests
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void Kernels_UseNoTypeOfTheTensorCore()
    {
        var kernelTypes = typeof(Tensor).Assembly.GetTypes().Where(t => t.Namespace == "Nabla.Kernels").ToArray();
        Assert.NotEmpty(kernelTypes);
        var uses = kernelTypes.SelectMany(UsesOfCore).Distinct().OrderBy(use => use).ToArray();
        Assert.True(uses.Length == 0, "Nabla.Kernels uses types of namespace Nabla:\n" + string.Join("\n", uses));
    }

    private static IEnumerable<string> UsesOfCore(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var seen = new List<(string Where, Type Used)>();
        if (type.BaseType is { } baseType) seen.Add(("base type", baseType));
        seen.AddRange(type.GetInterfaces().Select(i => ("interface", i)));
        seen.AddRange(type.GetFields(all).Select(f => ($"field {f.Name}", f.FieldType)));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            string where = $"{method.Name}";
            if (method is MethodInfo info) seen.Add((where, info.ReturnType));
            seen.AddRange(method.GetParameters().Select(p => (where, p.ParameterType)));
            var body = method.GetMethodBody();
            if (body is null) continue;
            seen.AddRange(body.LocalVariables.Select(l => (where, l.LocalType)));
            seen.AddRange(ReferencedTypes(method, body).Select(t => (where, t)));
        }
        return seen.Where(s => MentionsCore(s.Used)).Select(s => $"{type.FullName}.{s.Where}: {s.Used}");
    }

    /// <summary>The types of the fields, methods and types that the method's code refers to by token.</summary>
    private static IEnumerable<Type> ReferencedTypes(MethodBase method, MethodBody body)
    {
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    switch (member)
                    {
                        case Type t: yield return t; break;
                        case FieldInfo f: yield return f.DeclaringType!; yield return f.FieldType; break;
                        case MethodInfo m:
                            yield return m.DeclaringType!;
                            yield return m.ReturnType;
                            foreach (var p in m.GetParameters()) yield return p.ParameterType;
                            foreach (var a in m.IsGenericMethod ? m.GetGenericArguments() : []) yield return a;
                            break;
                        case ConstructorInfo c:
                            yield return c.DeclaringType!;
                            foreach (var p in c.GetParameters()) yield return p.ParameterType;
                            break;
                    }
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                default:
                    i += opCode.OperandType switch
                    {
                        OperandType.InlineNone => 0,
                        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                        OperandType.InlineVar => 2,
                        OperandType.InlineI8 or OperandType.InlineR => 8,
                        _ => 4,
                    };
                    break;
            }
        }
    }

    /// <summary>Whether <paramref name="type"/> is, or is built from (array, pointer, generic argument), a type of namespace Nabla.</summary>
    private static bool MentionsCore(Type? type)
    {
        if (type is null) return false;
        if (type.HasElementType) return MentionsCore(type.GetElementType());
        if (type.IsGenericParameter) return false;
        if (type.Namespace == "Nabla") return true;
        return type.IsGenericType && type.GetGenericArguments().Any(MentionsCore);
    }
}
