using CsCheck;
using Nabla.Symbolic;

namespace Nabla.Tests.Symbolic;

/// <summary>CsCheck generators of random expression trees over x and y, of bounded depth.</summary>
internal static class ExprGenerators
{
    private static readonly Gen<Expr> s_leaf = Gen.OneOf<Expr>(
        Gen.Int[-3, 4].Select(i => (Expr)new Number(i)),
        Gen.OneOf(0.5, -1.5, 2.25).Select(v => (Expr)new Number(v)),
        Gen.OneOf<Expr>(new Variable("x"), new Variable("y")),
        Gen.OneOf<Expr>(new Variable("x"), new Variable("y")),
        Gen.OneOf<Expr>(Constant.Pi, Constant.E));

    private static readonly Gen<MathFunction> s_function = Gen.OneOf(Enum.GetValues<MathFunction>().Where(f => f is not (MathFunction.Max or MathFunction.Min)).ToArray());

    private static readonly Gen<MathFunction> s_binaryFunction = Gen.OneOf(MathFunction.Max, MathFunction.Min);

    /// <summary>Raw (unsimplified) trees of depth at most 4.</summary>
    public static readonly Gen<Expr> Tree = Gen.Recursive<Expr>((depth, tree) => depth >= 4 ? s_leaf : Gen.Frequency<Expr>(
        (3, s_leaf),
        (2, tree.Array[2, 3].Select(t => (Expr)new Sum(t))),
        (2, tree.Array[2, 3].Select(f => (Expr)new Product(f))),
        (1, Gen.Select(tree, Gen.Int[-2, 3], (b, n) => (Expr)new Power(b, new Number(n)))),
        (1, Gen.Select(tree, s_leaf, (b, e) => (Expr)new Power(b, e))),
        (2, Gen.Select(s_function, tree, (f, a) => (Expr)new FunctionCall(f, a))),
        (1, Gen.Select(s_binaryFunction, tree, tree, (f, a, b) => (Expr)new FunctionCall(f, a, b)))));
}
