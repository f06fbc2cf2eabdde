using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// What every estimator shares, whatever it learns: a name for messages, the number of features
/// it was fitted with, and the checks that <c>Predict</c> and friends run before they compute.
/// </summary>
/// <remarks>
/// <para>
/// The estimator families build on it: <see cref="Regressor{TSelf}"/> (numeric targets, R² score)
/// and <see cref="Classifier{TSelf}"/> (class labels, accuracy score). An estimator takes its
/// settings as constructor arguments, named and defaulted as in scikit-learn and checked there;
/// <c>Fit</c> learns the fitted attributes (scikit-learn's trailing-underscore attributes such as
/// <c>coef_</c>, here <c>Coef</c>) and returns the estimator itself, typed, for chaining:
/// <c>var model = new Ridge(alpha: 1).Fit(X, y);</c>. Fitting again starts afresh.
/// </para>
/// <para>
/// Only this library derives estimators (the members to override are internal), so the
/// families can grow without breaking callers.
/// </para>
/// </remarks>
public abstract class Estimator
{
    private int _featuresIn;

    private protected Estimator() { }

    /// <summary>Whether <c>Fit</c> has completed on this estimator.</summary>
    public bool IsFitted => _featuresIn > 0;

    /// <summary>The number of features (columns of X) the estimator was fitted with (scikit-learn's <c>n_features_in_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public int NFeaturesIn
    {
        get
        {
            RequireFitted(nameof(NFeaturesIn));
            return _featuresIn;
        }
    }

    /// <summary>The estimator's name as messages show it: its type's name.</summary>
    private protected string Name => GetType().Name;

    /// <summary>Records a completed fit on <paramref name="features"/> features.</summary>
    private protected void MarkFitted(int features) => _featuresIn = features;

    /// <summary>Throws unless fitted, naming what the caller asked for.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    private protected void RequireFitted(string member)
    {
        if (!IsFitted)
            throw new InvalidOperationException($"{Name}: not fitted yet; call Fit before {member}.");
    }

    /// <summary>The samples for a fitted estimator, checked to have the number of features it was fitted with.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features.</exception>
    private protected DesignMatrix ForPrediction(FeatureMatrix x, string member)
    {
        RequireFitted(member);
        return x.ToDesign($"{Name}.{member}").RequireFeatures(_featuresIn, Name);
    }
}
