using DeepLearning.Initialization;

namespace DeepLearning.Tests.Layers;

/// <summary>What the layer base does for every layer: checks, buffers, parameters, its kind from the registry.</summary>
public class LayerTest
{
    [Fact]
    public void Forward_WrongColumns_NamesTheLayerAndTheShape()
    {
        var layer = new Dense<double>(new FeatureShape(1, 2, 2), 3);

        Action act = () => layer.Forward(new Tensor<double>(5, 3));

        act.Should().Throw<ArgumentException>().WithMessage("Dense(4→3).Forward: input has 3 columns, expected 4 (the 1×2×2 values of one sample, channel by channel). Input shape 5×3.*");
    }

    [Fact]
    public void Forward_SamplesAsColumns_SaysSo()
    {
        var layer = new Dense<double>(4, 3);

        Action act = () => layer.Forward(new Tensor<double>(4, 2));

        act.Should().Throw<ArgumentException>().WithMessage("*It has 4 rows: were the samples passed as columns? Samples are rows; transpose the input.*");
    }

    [Fact]
    public void Backward_BeforeForward_AndWithAWrongShape_OneLineEach()
    {
        var layer = new Dropout<double>(3, 0.5);

        Action before = () => layer.Backward(new Tensor<double>(2, 3));
        before.Should().Throw<InvalidOperationException>().WithMessage("Dropout(0.5).Backward: no forward pass yet; call Forward first*");

        layer.Forward(new Tensor<double>(2, 3), training: true);
        Action wrong = () => layer.Backward(new Tensor<double>(2, 4));

        wrong.Should().Throw<ArgumentException>().WithMessage("Dropout(0.5).Backward: ∂L/∂A has shape 2×4, expected 2×3 (the shape of the last output: samples × 3 outputs).*");
    }

    [Fact]
    public void Buffers_SameBatchSizeSameTensor_FourSizesKeptPerSlot()
    {
        var layer = new Dense<float>(2, 2);
        var batches = new[] { 5, 7, 9, 11 }.Select(m => new Tensor<float>(m, 2)).ToArray();

        Tensor<float> first = layer.Forward(batches[0]);
        foreach (Tensor<float> x in batches[1..])
        {
            layer.Forward(x);
        }

        layer.Forward(batches[0]).Should().BeSameAs(first, "four batch sizes are kept per buffer");
        layer.Forward(new Tensor<float>(13, 2));
        layer.Forward(batches[0]).Should().NotBeSameAs(first, "a fifth size replaced the oldest");
    }

    [Fact]
    public void AddParameter_NamesKeysAndExportShapes()
    {
        var layer = new Dense<float>(3, 2);

        layer.Parameters.Select(p => (p.Name, p.Key, p.IsWeight, string.Join("×", p.ExportShape))).Should().Equal(
            ("Dense(3→2).Weights", "weight", true, "2×3"), ("Dense(3→2).Bias", "bias", false, "2"));
    }

    [Fact]
    public void Kind_OfAnUnregisteredLayer_SaysHowToRegisterIt_AndTheNameFallsBackToTheClass()
    {
        var layer = new Unregistered<float>(FeatureShape.Flat(3));

        Func<string> kind = () => layer.Kind;

        layer.Name.Should().Be("Unregistered(3→3)");
        kind.Should().Throw<InvalidOperationException>().WithMessage("Unregistered`1 is not a registered kind of layer: add Registries.Layers.Register<Unregistered<float>, Unregistered<double>>(\"name\", \"parameters\", \"description\").");
    }

    [Fact]
    public void Parameter_PublicConstructor_ZerosAndItsExportShapeMustHoldItsValues()
    {
        var parameter = new Parameter<double>("p", 2, 3) { Key = "weight", ExportShape = [3, 1, 2] };

        parameter.Values.ToArray().Should().AllBeEquivalentTo(0.0);
        parameter.Matrix.RowCount.Should().Be(2);
        Action bad = () => _ = new Parameter<double>("q", 2, 3) { ExportShape = [4] };
        bad.Should().Throw<ArgumentException>().WithMessage("q: the export shape [4] does not hold its 6 values.*");
    }

    private sealed class Unregistered<T>(FeatureShape shape) : Layer<T>(shape, shape)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        protected override Arguments Settings => Arguments.Empty;

        protected override Tensor<T> ForwardCore(Tensor<T> input, bool training) => input;

        protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient) => outputGradient;
    }
}
