using DeepLearning.Data;
using DeepLearning.Layers;
using DeepLearning.Serialization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeepLearning.Tests.Serialization;

/// <summary>Exported models run in ONNX Runtime and give what <c>Network.Predict</c> gives.</summary>
public class OnnxExportTest(Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public void DigitClassifier_RunsInOnnxRuntime_SameOutputsAndSameDigitOnThousandTestImages()
    {
        string embedded = Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset");
        MnistData<float> mnist = Mnist.Load<float>(embedded);
        Network<float> network = new NetworkBuilder<float>(784, seed: 1).Dense(64, Activation.ReLU).Dropout(0.2).Dense(10).Build();
        network.Fit(mnist.Training.Take(3000), Loss.CrossEntropy, new GradientDescent(0.05, 0.9), new TrainingOptions { Epochs = 2, BatchSize = 64 });
        DataSet<float> test = mnist.Test.Take(1000);
        using var dir = new TempDirectory();

        OnnxExport.Save(network, dir.File("digits.onnx"));
        float[,] onnx = RunOnnx(dir.File("digits.onnx"), test.Inputs);
        float[,] onnxProbabilities = RunOnnx(dir.File("digits.onnx"), test.Inputs, "probabilities");

        Tensor<float> logits = network.Outputs(test.Inputs), probabilities = network.Predict(test.Inputs);
        int[] ourDigits = network.PredictClasses(test.Inputs);
        double maxDifference = 0, maxProbabilityDifference = 0;
        for (int i = 0; i < 1000; i++)
        {
            int onnxDigit = 0;
            for (int j = 0; j < 10; j++)
            {
                maxDifference = Math.Max(maxDifference, Math.Abs(onnx[i, j] - logits[i, j]));
                maxProbabilityDifference = Math.Max(maxProbabilityDifference, Math.Abs(onnxProbabilities[i, j] - probabilities[i, j]));
                onnxDigit = onnx[i, j] > onnx[i, onnxDigit] ? j : onnxDigit;
            }

            onnxDigit.Should().Be(ourDigits[i], $"image {i}");
        }

        log.WriteLine($"1,000 test images: max |ONNX Runtime − Outputs| = {maxDifference:G3}, probabilities {maxProbabilityDifference:G3}, same digit on all; accuracy {network.Evaluate(test, Loss.CrossEntropy).Accuracy:P2}");
        maxDifference.Should().BeLessThanOrEqualTo(1e-5);
        maxProbabilityDifference.Should().BeLessThanOrEqualTo(1e-6, "the exported network knows its loss: 'probabilities' is the softmax Predict gives");
        network.Evaluate(test, Loss.CrossEntropy).Accuracy.Should().BeGreaterThan(0.85, "the model learned something, so the comparison means something");
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("leaky_relu(0.1)")]
    [InlineData("softmax")]
    [InlineData("identity")]
    public void EveryActivation_RandomInputs_FloatAndDouble(string activation)
    {
        using var dir = new TempDirectory();
        var random = new Random(4);
        double[][] rows = [.. Enumerable.Range(0, 17).Select(_ => Enumerable.Range(0, 6).Select(_ => (random.NextDouble() * 6) - 3).ToArray())];
        IActivation σ = Activation.FromName(activation);
        Network<float> single = new NetworkBuilder<float>(6, seed: 2).Dense(5, σ).Dense(4, σ, useBias: false).Build();
        Network<double> twice = new NetworkBuilder<double>(6, seed: 2).Dense(5, σ).Dropout(0.5).Dense(4, σ).Build();

        OnnxExport.Save(single, dir.File("f.onnx"));
        OnnxExport.Save(twice, dir.File("d.onnx"));
        float[,] f = RunOnnx(dir.File("f.onnx"), Tensor<float>.FromRows([.. rows.Select(r => r.Select(v => (float)v).ToArray())]));
        double[,] d = RunOnnxDouble(dir.File("d.onnx"), Tensor<double>.FromRows(rows));

        Tensor<float> ourF = single.Predict(Tensor<float>.FromRows([.. rows.Select(r => r.Select(v => (float)v).ToArray())]));
        Tensor<double> ourD = twice.Predict(Tensor<double>.FromRows(rows));
        for (int i = 0; i < 17; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                f[i, j].Should().BeApproximately(ourF[i, j], 1e-5f);
                d[i, j].Should().BeApproximately(ourD[i, j], 1e-12);
            }
        }
    }

    [Theory]
    [InlineData("image", "conv2d(2,3,relu) maxpool2d(2) dense(3)")]
    [InlineData("sequence", "rnn(3) global_max_pool dense(2)")]
    public void DoubleNetwork_WithAnOperatorOnnxRuntimeHasInFloatOnly_RunsThereWithinFloatPrecision(string input, string layers)
    {
        // ONNX Runtime's CPU provider has no double Conv or RNN: the export puts them between Casts, so the file runs.
        using var dir = new TempDirectory();
        FeatureShape shape = input == "image" ? new FeatureShape(1, 6, 6) : FeatureShape.Sequence(4, 2);
        var builder = new NetworkBuilder<double>(shape, seed: 3);
        foreach (string spec in LayerRegistry.SplitSpecs(layers))
        {
            builder.Add(spec);
        }

        Network<double> network = builder.Build();
        var random = new Random(5);
        double[][] rows = [.. Enumerable.Range(0, 7).Select(_ => Enumerable.Range(0, (int)shape.Size).Select(_ => (random.NextDouble() * 2) - 1).ToArray())];
        OnnxExport.Save(network, dir.File("d.onnx"));

        double[,] onnx = RunOnnxDouble(dir.File("d.onnx"), Tensor<double>.FromRows(rows));

        Tensor<double> ours = network.Predict(Tensor<double>.FromRows(rows));
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < ours.Columns; j++)
            {
                onnx[i, j].Should().BeApproximately(ours[i, j], 1e-5, "the Conv or RNN computed in float");
            }
        }
    }

    internal static float[,] RunOnnx(string path, Tensor<float> x, string name = "output") => RunOnnx<float>(path, x, name);

    private static double[,] RunOnnxDouble(string path, Tensor<double> x) => RunOnnx<double>(path, x, "output");

    private static T[,] RunOnnx<T>(string path, DeepLearning.Tensor<T> x, string name)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var session = new InferenceSession(path);
        var input = new DenseTensor<T>(RowMajor(x), [x.Rows, x.Columns]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        Microsoft.ML.OnnxRuntime.Tensors.Tensor<T> output = results.Single(r => r.Name == name).AsTensor<T>();
        var result = new T[x.Rows, output.Dimensions[1]];
        for (int i = 0; i < x.Rows; i++)
        {
            for (int j = 0; j < output.Dimensions[1]; j++)
            {
                result[i, j] = output[i, j];
            }
        }

        return result;
    }

    private static T[] RowMajor<T>(DeepLearning.Tensor<T> x)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
        => [.. Enumerable.Range(0, x.Rows).SelectMany(i => Enumerable.Range(0, x.Columns).Select(j => x[i, j]))];
}
