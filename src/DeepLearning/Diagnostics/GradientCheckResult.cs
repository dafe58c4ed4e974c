namespace DeepLearning.Diagnostics;

/// <summary>The result of <see cref="GradientCheck.Run{T}"/>: one entry per parameter tensor.</summary>
public sealed class GradientCheckResult
{
    internal GradientCheckResult(IReadOnlyList<ParameterGradientCheck> parameters) => Parameters = parameters;

    /// <summary>One entry per parameter tensor, in network order.</summary>
    public IReadOnlyList<ParameterGradientCheck> Parameters { get; }

    /// <summary>The largest relative error over all parameter tensors.</summary>
    public double MaxRelativeError => Parameters.Count == 0 ? 0 : Parameters.Max(p => p.RelativeError);

    /// <summary>Whether every parameter tensor's relative error is below <paramref name="tolerance"/>.</summary>
    /// <param name="tolerance">The largest acceptable relative error; default 1e-6.</param>
    /// <returns><see langword="true"/> when backpropagation agrees with the finite differences.</returns>
    public bool Passed(double tolerance = 1e-6) => MaxRelativeError < tolerance;

    /// <summary>Formats the result, one line per parameter tensor.</summary>
    /// <returns>The result as text.</returns>
    public override string ToString() => string.Join(Environment.NewLine, Parameters);
}
