using System.Reflection;
using System.Reflection.Emit;

namespace Nabla.Tests.Architecture;

/// <summary>
/// The types each type of an assembly uses: in its base type and interfaces, the signatures of its
/// fields, properties and methods, their local variables, and every type, method and field that
/// their IL names. Reading the compiled IL, rather than <c>using</c> lines, also catches the types
/// a child namespace sees from its parent without any <c>using</c> (every folder sees <c>Nabla</c>).
/// </summary>
internal static class TypeDependencies
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
        | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>The outermost declaring type: compiler-generated closures and state machines count as their owner.</summary>
    public static Type Owner(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    /// <summary>Every type of <paramref name="assembly"/> mapped to the types it uses, owners only.</summary>
    public static Dictionary<Type, HashSet<Type>> Of(Assembly assembly)
    {
        var uses = new Dictionary<Type, HashSet<Type>>();
        foreach (var type in assembly.GetTypes())
        {
            var owner = Owner(type);
            if (!uses.TryGetValue(owner, out var set)) uses[owner] = set = [];
            Collect(type, set);
        }
        foreach (var (owner, set) in uses)
        {
            var owners = set.Select(Owner).Where(used => used != owner).ToHashSet();
            set.Clear();
            set.UnionWith(owners);
        }
        return uses;
    }

    private static void Collect(Type type, HashSet<Type> set)
    {
        Add(type.BaseType, set);
        foreach (var contract in type.GetInterfaces()) Add(contract, set);
        foreach (var field in type.GetFields(Declared)) Add(field.FieldType, set);
        foreach (var property in type.GetProperties(Declared)) Add(property.PropertyType, set);
        var methods = type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));
        foreach (var method in methods)
        {
            if (method is MethodInfo info) Add(info.ReturnType, set);
            foreach (var parameter in method.GetParameters()) Add(parameter.ParameterType, set);
            var body = method.GetMethodBody();
            if (body is null) continue;
            foreach (var local in body.LocalVariables) Add(local.LocalType, set);
            CollectFromIl(method, body.GetILAsByteArray() ?? [], set);
        }
    }

    private static void CollectFromIl(MethodBase method, byte[] il, HashSet<Type> set)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE) value = (short)(0xFE00 | il[position++]);
            var code = OpCodesByValue[value];
            int operandSize = OperandSize(code, il, position);
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                int token = BitConverter.ToInt32(il, position);
                try
                {
                    var member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                    AddMember(member, set);
                }
                catch (ArgumentException)
                {
                    // A token whose generic context cannot be resolved here names no type of ours worth checking.
                }
            }
            position += operandSize;
        }
    }

    private static int OperandSize(OpCode code, byte[] il, int position) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, position),
        _ => 4,
    };

    private static void AddMember(MemberInfo? member, HashSet<Type> set)
    {
        switch (member)
        {
            case Type type:
                Add(type, set);
                break;
            case FieldInfo field:
                Add(field.DeclaringType, set);
                Add(field.FieldType, set);
                break;
            case MethodBase method:
                Add(method.DeclaringType, set);
                if (method is MethodInfo info)
                {
                    Add(info.ReturnType, set);
                    if (info.IsGenericMethod) foreach (var argument in info.GetGenericArguments()) Add(argument, set);
                }
                foreach (var parameter in method.GetParameters()) Add(parameter.ParameterType, set);
                break;
        }
    }

    private static void Add(Type? type, HashSet<Type> set)
    {
        if (type is null || type.IsGenericParameter) return;
        if (type.HasElementType)
        {
            Add(type.GetElementType(), set);
            return;
        }
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments()) Add(argument, set);
            type = type.GetGenericTypeDefinition();
        }
        set.Add(type);
    }
}
