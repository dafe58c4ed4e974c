using System.Numerics;
using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Serialization;

namespace OutsideConcepts;

/// <summary>
/// Softplus(z) = log(1 + e^z), a smooth ReLU, with Softplus′(z) = σ(z). Computed as max(z, 0) + log(1 + e^(−|z|)), which
/// never overflows. PyTorch: <c>nn.Softplus()</c>.
/// </summary>
public sealed class Softplus : IActivation
{
    public string Name => "Softplus";

    public string Spec => "softplus";

    public string? PyTorchModule => "Softplus()";

    public void Forward<T>(Tensor<T> z, Tensor<T> a)
        where T : struct, IFloatingPointIeee754<T>
    {
        Span<T> zs = z.AsSpan(), av = a.AsSpan();
        for (int i = 0; i < av.Length; i++)
        {
            av[i] = T.Max(zs[i], T.Zero) + T.LogP1(T.Exp(-T.Abs(zs[i])));
        }
    }

    public void Backward<T>(Tensor<T> z, Tensor<T> a, Tensor<T> outputGradient, Tensor<T> delta)
        where T : struct, IFloatingPointIeee754<T>
    {
        Span<T> zs = z.AsSpan(), g = outputGradient.AsSpan(), d = delta.AsSpan();
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = g[i] / (T.One + T.Exp(-zs[i])); // σ(z)
        }
    }

    /// <summary>A Softplus node in float; in double, which ONNX Runtime's Softplus lacks, Relu(z) + Log(1 + Exp(−|z|)).</summary>
    public void ExportOnnx(OnnxGraph graph)
    {
        if (!graph.IsDouble)
        {
            graph.Apply("Softplus", [graph.Current], "softplus");
            return;
        }

        string z = graph.Current;
        string relu = graph.Apply("Relu", [z], "softplus_relu");
        string negative = graph.Apply("Neg", [graph.Apply("Abs", [z], "softplus_abs")], "softplus_neg");
        string onePlus = graph.Apply("Add", [graph.Apply("Exp", [negative], "softplus_exp"), graph.AddScalar("one", 1)], "softplus_1p");
        graph.Apply("Add", [relu, graph.Apply("Log", [onePlus], "softplus_log")], "softplus");
    }

    public override string ToString() => Name;
}
