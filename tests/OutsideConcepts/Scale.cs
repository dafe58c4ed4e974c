using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DeepLearning;
using DeepLearning.Initialization;
using DeepLearning.Layers;
using DeepLearning.Serialization;

namespace OutsideConcepts;

/// <summary>
/// Multiplies each feature by a weight of its own: A = X ⊙ w, with w one row of n weights broadcast over the samples.
/// Backward: ∂L/∂w = the column sums of X ⊙ ∂L/∂A, ∂L/∂X = ∂L/∂A ⊙ w. Weights start near 1 (N(1, 0.1²)).
/// </summary>
public sealed class Scale<T> : Layer<T>, ILayerKind<Scale<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> _w;

    public Scale(FeatureShape input, Random random)
        : base(input, input)
        => _w = AddParameter("weight", 1, InputSize, new Gaussian(1, 0.1), random, fanIn: 1, fanOut: 1);

    protected override Arguments Settings => Arguments.Empty;

    public static LayerPlan Plan(Arguments settings, FeatureShape input) => new(input, input.Size, 2 * input.Size);

    public static Scale<T> Create(Arguments settings, FeatureShape input, Random random) => new(input, random);

    public override void ExportOnnx(OnnxGraph graph)
        => graph.Apply("Mul", [graph.Current, graph.AddInitializer<T>("scale_w", [InputSize], _w.Values)], "scale");

    public override void ExportTorch(TorchSequential<T> sequence) => sequence.Add($"Scale({InputSize})", _w);

    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        Tensor<T> a = Buffer(0, input.Rows, InputSize);
        for (int j = 0; j < InputSize; j++)
        {
            TensorPrimitives.Multiply<T>(input.ColumnSpan(j), _w.Values[j], a.ColumnSpan(j));
        }

        return a;
    }

    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        Tensor<T> dx = Buffer(1, input.Rows, InputSize);
        for (int j = 0; j < InputSize; j++)
        {
            _w.Gradients[j] = TensorPrimitives.Dot<T>(input.ColumnSpan(j), outputGradient.ColumnSpan(j));
            TensorPrimitives.Multiply<T>(outputGradient.ColumnSpan(j), _w.Values[j], dx.ColumnSpan(j));
        }

        return computeInputGradient ? dx : null;
    }
}
