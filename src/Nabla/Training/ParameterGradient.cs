namespace Nabla.Training;

/// <summary>How one parameter's gradient and update looked over a step or an epoch; see <see cref="GradientReport"/>.</summary>
/// <param name="Name">The parameter's dotted name in the model ("0.weight").</param>
/// <param name="Shape">The parameter's shape.</param>
/// <param name="GradientNorm">The 2-norm of its gradient (the mean over the epoch's steps for an epoch report).</param>
/// <param name="WeightNorm">The 2-norm of the parameter itself.</param>
/// <param name="UpdateRatio">‖Δw‖ / ‖w‖ of the optimizer's update (mean over the steps); NaN when no update was measured. Around 1e-3 is healthy; much larger means the learning rate is too high, much smaller too low.</param>
public readonly record struct ParameterGradient(string Name, IReadOnlyList<int> Shape, double GradientNorm, double WeightNorm, double UpdateRatio)
{
    /// <summary>The root mean square of the gradient's elements, which compares layers of different sizes.</summary>
    public double GradientRms
    {
        get
        {
            int count = 1;
            foreach (int d in Shape) count *= d;
            return count == 0 ? 0 : GradientNorm / Math.Sqrt(count);
        }
    }

    /// <summary>The parameter, its shape and norms, e.g. "ParameterGradient { Name = 0.weight, Shape = [32, 64], GradientNorm = 0.0123, WeightNorm = 4.56, UpdateRatio = 0.001 }".</summary>
    public override string ToString() => new ResultText(nameof(ParameterGradient)).Add(nameof(Name), Name).Add(nameof(Shape), Shapes.Format([.. Shape]))
        .Add(nameof(GradientNorm), GradientNorm).Add(nameof(WeightNorm), WeightNorm).Add(nameof(UpdateRatio), UpdateRatio).ToString();
}
