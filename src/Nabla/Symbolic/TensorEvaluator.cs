namespace Nabla.Symbolic;

/// <summary>
/// Evaluates an expression with tensor ops, so the result carries the autograd graph. Subtrees
/// without variables stay doubles and enter tensor ops as scalars.
/// </summary>
internal static class TensorEvaluator
{
    /// <summary>A double or a tensor.</summary>
    private readonly record struct Value(double Scalar, Tensor? Tensor)
    {
        public static implicit operator Value(double s) => new(s, null);
        public static implicit operator Value(Tensor t) => new(0, t);
    }

    /// <summary>See <see cref="Expr.Evaluate(IReadOnlyDictionary{string, Tensor})"/>.</summary>
    public static Tensor Evaluate(Expr e, IReadOnlyDictionary<string, Tensor> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var result = Eval(e, variables);
        if (result.Tensor is not null) return result.Tensor;
        var dtype = variables.Values.FirstOrDefault()?.DType ?? DType.Float32;
        return Tensor.Scalar(result.Scalar, dtype == DType.Int32 ? DType.Float32 : dtype);
    }

    private static Value Eval(Expr e, IReadOnlyDictionary<string, Tensor> variables)
    {
        switch (e)
        {
            case Number n:
                return n.Value;
            case Constant c:
                return c.Value;
            case Variable v:
                if (variables.TryGetValue(v.Name, out var t)) return t;
                throw Evaluator.UnboundVariable(v.Name, variables.Keys);
            case Sum s:
            {
                var acc = Eval(s.Terms[0], variables);
                for (int i = 1; i < s.Terms.Count; i++) acc = Add(acc, Eval(s.Terms[i], variables));
                return acc;
            }
            case Product p:
            {
                var acc = Eval(p.Factors[0], variables);
                for (int i = 1; i < p.Factors.Count; i++) acc = Multiply(acc, Eval(p.Factors[i], variables));
                return acc;
            }
            case Power pw:
                return Pow(Eval(pw.Base, variables), Eval(pw.Exponent, variables));
            case FunctionCall { Arguments: [var first, var second] } f:
            {
                var (a, b) = (Eval(first, variables), Eval(second, variables));
                if (a.Tensor is null && b.Tensor is null) return MathFunctions.Apply(f.Function, a.Scalar, b.Scalar);
                var (x, y) = (AsTensor(a, b), AsTensor(b, a));
                return f.Function == MathFunction.Max ? Tensor.Maximum(x, y) : Tensor.Minimum(x, y);
            }
            case FunctionCall f:
            {
                var a = Eval(f.Argument, variables);
                return a.Tensor is null ? MathFunctions.Apply(f.Function, a.Scalar) : Apply(f.Function, a.Tensor);
            }
            default:
                throw new InvalidOperationException($"Cannot evaluate {e.GetType().Name}.");
        }
    }

    /// <summary><paramref name="v"/> as a tensor: itself, or its number as a scalar of <paramref name="other"/>'s type.</summary>
    private static Tensor AsTensor(Value v, Value other) => v.Tensor ?? Tensor.Scalar(v.Scalar, other.Tensor!.DType);

    private static Value Add(Value a, Value b) => (a.Tensor, b.Tensor) switch
    {
        (null, null) => a.Scalar + b.Scalar,
        (Tensor x, null) => x + b.Scalar,
        (null, Tensor y) => a.Scalar + y,
        (Tensor x, Tensor y) => x + y,
    };

    private static Value Multiply(Value a, Value b) => (a.Tensor, b.Tensor) switch
    {
        (null, null) => a.Scalar * b.Scalar,
        (Tensor x, null) => x * b.Scalar,
        (null, Tensor y) => a.Scalar * y,
        (Tensor x, Tensor y) => x * y,
    };

    private static Value Pow(Value b, Value e) => (b.Tensor, e.Tensor) switch
    {
        (null, null) => MathFunctions.Pow(b.Scalar, e.Scalar),
        (Tensor x, null) => e.Scalar == 1 ? x : x.Pow(e.Scalar),
        // aᵘ = e^(u ln a) for a > 0, which keeps the graph to u simple.
        (null, Tensor u) when b.Scalar > 0 => (u * Math.Log(b.Scalar)).Exp(),
        (null, Tensor u) => Tensor.Pow(Tensor.Scalar(b.Scalar, u.DType), u),
        (Tensor x, Tensor u) => Tensor.Pow(x, u),
    };

    private static Tensor Apply(MathFunction f, Tensor x) => f switch
    {
        MathFunction.Sin => x.Sin(),
        MathFunction.Cos => x.Cos(),
        MathFunction.Tan => x.Sin() / x.Cos(),
        MathFunction.Exp => x.Exp(),
        MathFunction.Log => x.Log(),
        MathFunction.Sqrt => x.Sqrt(),
        MathFunction.Abs => x.Abs(),
        MathFunction.Tanh => x.Tanh(),
        MathFunction.Sigmoid => x.Sigmoid(),
        MathFunction.Sinh => (x.Exp() - (-x).Exp()) * 0.5,
        MathFunction.Cosh => (x.Exp() + (-x).Exp()) * 0.5,
        MathFunction.Relu => x.Relu(),
        MathFunction.Softplus => x.Softplus(),
        MathFunction.Log1p => (x + 1.0).Log(),
        MathFunction.Erf => x.Erf(),
        // (sign x + 1)/2: 1 above 0, ½ at 0, 0 below, and not recorded, so its derivative is 0 as the symbolic one.
        MathFunction.Heaviside => (MaskDispatch.Sign(x) + 1.0) * 0.5,
        _ => throw new NotSupportedException(
            $"{MathFunctions.Name(f)} has no tensor op in Nabla yet, so an expression calling it cannot be evaluated on tensors; evaluate it with doubles or compile it instead."),
    };
}
