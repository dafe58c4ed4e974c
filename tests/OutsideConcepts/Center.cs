using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DeepLearning;
using DeepLearning.Compute;
using DeepLearning.Layers;
using DeepLearning.Serialization;

namespace OutsideConcepts;

/// <summary>
/// Centers each feature: while training, A = X − the batch's mean of that feature, and a running average of the means is
/// kept (μ_run ← (1 − m)·μ_run + m·μ); at inference A = X − μ_run. A layer with state that is not trained — saved, loaded,
/// checkpointed and exported like the library's batch normalization — written outside the library with its public parts:
/// AddState, Preconditions and PartedWork (the features are parted across the library's threads).
/// </summary>
public sealed class Center<T> : Layer<T>, ILayerKind<Center<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> _runningMean;
    private readonly PartedWork _subtract;
    private Tensor<T>? _input, _output;
    private bool _training;

    public Center(FeatureShape input, double momentum)
        : base(input, input)
    {
        Momentum = Preconditions.CheckInRange(momentum, 0, 1, nameof(momentum));
        _runningMean = AddState("running_mean", 1, InputSize, T.Zero);
        _subtract = new PartedWork(Subtract);
    }

    public double Momentum { get; }

    protected override Arguments Settings => new(("momentum", Text(Momentum)));

    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckInRange(settings.GetNumber("momentum"), 0, 1, "momentum");
        return new(input, 0, 2 * input.Size);
    }

    public static Center<T> Create(Arguments settings, FeatureShape input, Random random) => new(input, settings.GetNumber("momentum"));

    public override void ExportOnnx(OnnxGraph graph)
    {
        graph.ToRows();
        graph.Apply("Sub", [graph.Current, graph.AddInitializer<T>("center_mean", [InputSize], _runningMean.Values)], "centered");
    }

    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        (_input, _output, _training) = (input, Buffer(0, input.Rows, InputSize), training);
        _subtract.Run(InputSize, (long)input.Rows * InputSize);
        return _output;
    }

    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        // ∂L/∂x = G − mean(G) while training (every x moves the mean); G at inference.
        Tensor<T> dx = Buffer(1, input.Rows, InputSize);
        for (int j = 0; j < InputSize; j++)
        {
            T mean = _training ? TensorPrimitives.Sum<T>(outputGradient.ColumnSpan(j)) / T.CreateChecked(input.Rows) : T.Zero;
            TensorPrimitives.Subtract<T>(outputGradient.ColumnSpan(j), mean, dx.ColumnSpan(j));
        }

        return dx;
    }

    /// <summary>Features [first, last): each writes only its own column and its own running mean.</summary>
    private void Subtract(int first, int last)
    {
        for (int j = first; j < last; j++)
        {
            Span<T> x = _input!.ColumnSpan(j);
            T mean = _runningMean.Values[j];
            if (_training)
            {
                mean = TensorPrimitives.Sum<T>(x) / T.CreateChecked(x.Length);
                _runningMean.Values[j] = (T.CreateChecked(1 - Momentum) * _runningMean.Values[j]) + (T.CreateChecked(Momentum) * mean);
            }

            TensorPrimitives.Subtract<T>(x, mean, _output!.ColumnSpan(j));
        }
    }
}
