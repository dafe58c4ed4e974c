using DeepLearning;
using DeepLearning.Diagnostics;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Serialization;
using DeepLearning.Training;
using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace OutsideConcepts;

/// <summary>Softplus, Scale, Center, RMSprop and InverseSqrt, written outside the library, do everything the library's own concepts do.</summary>
public sealed class OutsideConceptsTest : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("outside-concepts-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void NewConcepts_TrainAndRoundTripThroughTheModelFile()
    {
        (Tensor<double> x, Tensor<double> y, int[] labels) = Blobs(300, seed: 1);
        Network<double> network = Build<double>();

        network.Fit(x, y, Loss.CrossEntropy, Registries.Optimizers.Create("rmsprop(lr=0.01)"), new TrainingOptions { Epochs = 30, BatchSize = 16, Seed = 2 });
        ModelFile.Save(network, Path.Combine(_folder, "m.dlnn"));
        Network<double> loaded = ModelFile.Load<double>(Path.Combine(_folder, "m.dlnn"));

        DeepLearning.Metrics.Accuracy.Compute(network.PredictClasses(x), labels).Should().BeGreaterThan(0.95);
        loaded.Layers.Select(l => l.Kind).Should().Equal("scale", "dense", "dense");
        ((Dense<double>)loaded.Layers[1]).Activation.Should().BeOfType<Softplus>();
        loaded.Loss.Should().BeSameAs(Loss.CrossEntropy);
        loaded.Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
        loaded.Summary().Should().Contain("scale(4→4)");
    }

    [Fact]
    public void Onnx_RunsInOnnxRuntime_SameOutputsInFloatAndDouble()
    {
        (Tensor<double> x, Tensor<double> y, _) = Blobs(40, seed: 3);
        Network<double> twice = Build<double>();
        twice.Fit(x, y, Loss.CrossEntropy, new RMSprop(0.01, 0.99, 1e-8), new TrainingOptions { Epochs = 3, BatchSize = 8 });
        Network<float> single = Build<float>();
        single.Loss = Loss.CrossEntropy;
        var xf = new Tensor<float>(x.Matrix.Map(v => (float)v));

        OnnxExport.Save(twice, Path.Combine(_folder, "d.onnx"));
        OnnxExport.Save(single, Path.Combine(_folder, "f.onnx"));

        MaxDifference(Run<double>(Path.Combine(_folder, "d.onnx"), x, "output"), twice.Outputs(x)).Should().BeLessThan(1e-12);
        MaxDifference(Run<double>(Path.Combine(_folder, "d.onnx"), x, "probabilities"), twice.Predict(x)).Should().BeLessThan(1e-12);
        MaxDifference(Run<float>(Path.Combine(_folder, "f.onnx"), xf, "output"), single.Outputs(xf)).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void SafeTensors_EachLayerNamesItsOwnTensors_AndTheNetworkComesBack()
    {
        (Tensor<float> x, _, _) = Blobs<float>(10, seed: 4);
        Network<float> network = Build<float>();

        SafeTensors.Save(network, Path.Combine(_folder, "m.safetensors"));
        Network<float> loaded = SafeTensors.Load<float>(Path.Combine(_folder, "m.safetensors"));

        TorchSequential<float>.Of(network).Tensors.Select(t => $"{t.Name} [{string.Join(", ", t.Parameter.ExportShape)}]")
            .Should().Equal("0.weight [4]", "1.weight [16, 4]", "1.bias [16]", "3.weight [3, 16]", "3.bias [3]");
        TorchSequential<float>.Of(network).ToString().Should().Be("nn.Sequential(nn.Scale(4), nn.Linear(4, 16), nn.Softplus(), nn.Linear(16, 3))");
        loaded.Outputs(x).ToArray().Should().BeEquivalentTo(network.Outputs(x).ToArray(), o => o.WithStrictOrdering());
    }

    [Fact]
    public void GradientCheck_ScaleAndSoftplus_BackpropagationMatchesFiniteDifferences()
    {
        (Tensor<double> x, Tensor<double> y, _) = Blobs(6, seed: 5);

        GradientCheckResult check = GradientCheck.Run(Build<double>(), x, y, Loss.CrossEntropy);

        check.MaxRelativeError.Should().BeLessThan(1e-7, check.ToString());
        check.Parameters.Should().HaveCount(5);
    }

    [Fact]
    public void RMSprop_OneStepByHand()
    {
        // w = 5, g = 8, ε = 0.1, ρ = 0.99: v = 0.01·64 = 0.64, √v = 0.8, w ← 5 − 0.1·8/0.8 = 4.
        var w = new Parameter<double>("w", 1, 1);
        w.Values[0] = 5;
        w.Gradients[0] = 8;

        Registries.Optimizers.Create("rmsprop(lr=0.1, eps=0)").Step([w]);

        w.Values[0].Should().BeApproximately(4, 1e-12);
        Registries.Optimizers.Create("rmsprop").Spec.Should().Be("rmsprop(0.01, 0.99, 1E-08)");
    }

    [Fact]
    public void Registries_KnowTheNewConcepts_ForHelpAndPlans()
    {
        Registries.Activations.Describe().Should().Contain(l => l.StartsWith("softplus", StringComparison.Ordinal));
        Registries.Layers.Plan("scale", FeatureShape.Flat(4)).Should().Be(new LayerPlan(FeatureShape.Flat(4), 4, 8));
        Registries.Optimizers.Create("rmsprop").StatePerValue.Should().Be(1);
    }

    [Fact]
    public void StatefulLayerAndSchedule_SavedResumedAndExported_LikeTheLibrarysOwn()
    {
        // Two epochs, a checkpoint, two more: the same bits as four straight, the outside layer's running mean and the
        // outside optimizer's averages included; then ONNX Runtime gives what Predict gives.
        (Tensor<double> x, Tensor<double> y, _) = Blobs(120, seed: 6);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 3, Schedule = Registries.Schedules.Create("inverse_sqrt(5)") };
        Network<double> straight = Stateful();
        straight.Fit(x, y, Loss.CrossEntropy, Registries.Optimizers.Create("rmsprop(lr=0.01)"), options);

        Network<double> first = Stateful();
        IOptimizer optimizer = Registries.Optimizers.Create("rmsprop(lr=0.01)");
        TrainingHistory half = first.Fit(x, y, Loss.CrossEntropy, optimizer, options with { Epochs = 2 });
        ModelFile.Save(first, Path.Combine(_folder, "run.dlnn"), new Checkpoint(optimizer, half.Progress));
        (Network<double> resumed, Checkpoint? checkpoint) = ModelFile.LoadCheckpoint<double>(Path.Combine(_folder, "run.dlnn"));
        resumed.Fit(x, y, Loss.CrossEntropy, checkpoint!.Optimizer, options with { Resume = checkpoint.Progress });

        resumed.State.Select(s => s.Name).Should().Contain(n => n.EndsWith("running_mean", StringComparison.Ordinal));
        resumed.State.SelectMany(s => s.Values.ToArray()).Should().Equal(straight.State.SelectMany(s => s.Values.ToArray()));
        resumed.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(straight.Parameters.SelectMany(p => p.Values.ToArray()));
        OnnxExport.Save(resumed, Path.Combine(_folder, "stateful.onnx"));
        MaxDifference(Run<double>(Path.Combine(_folder, "stateful.onnx"), x, "probabilities"), resumed.Predict(x)).Should().BeLessThan(1e-12);
        GradientCheck.Run(Stateful(), x.Slice(0, 6), y.Slice(0, 6), Loss.CrossEntropy, training: true).MaxRelativeError.Should().BeLessThan(1e-7);
    }

    private static Network<double> Stateful()
        => new NetworkBuilder<double>(4, seed: 1).Add("center(momentum=0.2)").Add("dense(16, softplus)").Add("dropout(0.1)").Add("dense(3)").Build(Loss.CrossEntropy);

    private static Network<T> Build<T>()
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
        => new NetworkBuilder<T>(4, seed: 1).Add("scale").Add("dense(16, softplus)").Add("dense(3)").Build();

    private static (Tensor<double> X, Tensor<double> Y, int[] Labels) Blobs(int count, int seed) => Blobs<double>(count, seed);

    /// <summary>Three Gaussian clusters in four dimensions.</summary>
    private static (Tensor<T> X, Tensor<T> Y, int[] Labels) Blobs<T>(int count, int seed)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int[] labels = [.. Enumerable.Range(0, count).Select(i => i % 3)];
        T[][] rows = [.. labels.Select(c => Enumerable.Range(0, 4).Select(j => T.CreateChecked((j == c ? 3.0 : 0) + (random.NextDouble() - 0.5))).ToArray())];
        return (Tensor<T>.FromRows(rows), Tensor<T>.OneHot(labels, 3), labels);
    }

    private static double MaxDifference<T>(T[,] onnx, Tensor<T> ours)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
        => Enumerable.Range(0, ours.Rows).SelectMany(i => Enumerable.Range(0, ours.Columns).Select(j => Math.Abs(double.CreateChecked(onnx[i, j] - ours[i, j])))).Max();

    private static T[,] Run<T>(string path, Tensor<T> x, string output)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var session = new InferenceSession(path);
        T[] rows = [.. Enumerable.Range(0, x.Rows).SelectMany(i => x.GetRow(i))];
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<T>(rows, [x.Rows, x.Columns]))]);
        Microsoft.ML.OnnxRuntime.Tensors.Tensor<T> result = results.Single(r => r.Name == output).AsTensor<T>();
        var values = new T[x.Rows, (int)result.Dimensions[1]];
        for (int i = 0; i < x.Rows; i++)
        {
            for (int j = 0; j < values.GetLength(1); j++)
            {
                values[i, j] = result[i, j];
            }
        }

        return values;
    }
}
