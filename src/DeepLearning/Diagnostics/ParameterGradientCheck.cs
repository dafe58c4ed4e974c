using System.Globalization;

namespace DeepLearning.Diagnostics;

/// <summary>The gradient check of one parameter tensor.</summary>
/// <param name="Name">The parameter, for example <c>Dense(2→3).Weights</c>.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="RelativeError">‖g − n‖ / max(‖g‖ + ‖n‖, floor) between analytic gradient g and numerical gradient n (see <see cref="GradientCheck"/>).</param>
/// <param name="MaxAbsoluteError">The largest |gₖ − nₖ| over the tensor's values.</param>
public sealed record ParameterGradientCheck(string Name, TensorShape Shape, double RelativeError, double MaxAbsoluteError)
{
    /// <summary>Formats the check as one line, for example <c>Dense(2→3).Weights 2×3: relative error 3.1e-11</c>.</summary>
    /// <returns>The check as text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Name} {Shape}: relative error {RelativeError:E2}, max absolute error {MaxAbsoluteError:E2}");
}
