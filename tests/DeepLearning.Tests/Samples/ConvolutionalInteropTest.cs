using System.Globalization;
using System.Text.Json;
using DeepLearning.Data;
using DeepLearning.Serialization;
using DigitTrainer;

namespace DeepLearning.Tests.Samples;

/// <summary>
/// Convolutional networks leave and enter the library on the full MNIST test set (<see cref="FullMnist"/>): one trained by
/// the trainer runs in ONNX Runtime to the same digit on all 10,000 images and loads into PyTorch's nn.Sequential with the
/// same accuracy; one trained in PyTorch evaluates here, built from --layers, to PyTorch's accuracy.
/// </summary>
public class ConvolutionalInteropTest
{
    // nn.Sequential: 0 Conv2d, 1 ReLU, 2 MaxPool2d, 3 Conv2d, 4 ReLU, 5 MaxPool2d, 6 Flatten, 7 Linear, 8 Tanh, 9 Linear.
    private const string Layers = "conv2d(8,3,relu,padding=1) maxpool2d(2) conv2d(16,5,relu) maxpool2d(2) dense(32,tanh) dense(10)";

    private const string Script = """
        import gzip, json, os, struct, sys
        import numpy as np, torch
        from torch import nn
        mode, data, model_path = sys.argv[1:4]
        torch.manual_seed(1)
        torch.set_num_threads(2)
        def idx(name):
            for c, opener in ((name, open), (name + '.gz', gzip.open)):
                p = os.path.join(data, c)
                if os.path.exists(p):
                    raw = opener(p, 'rb').read()
                    n = raw[3]
                    return np.frombuffer(raw, np.uint8, offset=4 + 4 * n).reshape(struct.unpack('>' + 'I' * n, raw[4:4 + 4 * n]))
        def images(name):  # rows of 784, viewed as [m, 1, 28, 28]: the library's channel-major row
            return torch.tensor(idx(name).reshape(-1, 784), dtype=torch.float32).div(255).view(-1, 1, 28, 28)
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 5), nn.ReLU(),
                              nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 32), nn.Tanh(), nn.Linear(32, 10))
        if mode == 'load':
            raw = open(model_path, 'rb').read()
            (n,) = struct.unpack('<Q', raw[:8])
            header, blob = json.loads(raw[8:8 + n]), raw[8 + n:]
            model.load_state_dict({k: torch.tensor(np.frombuffer(blob[v['data_offsets'][0]:v['data_offsets'][1]], '<f4').reshape(v['shape']).copy())
                                   for k, v in header.items() if k != '__metadata__'})
        else:
            x, y = images('train-images-idx3-ubyte')[:3000], torch.tensor(idx('train-labels-idx1-ubyte')[:3000].astype(np.int64))
            optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
            for start in range(0, 3000, 32):
                optimizer.zero_grad()
                nn.functional.cross_entropy(model(x[start:start + 32]), y[start:start + 32]).backward()
                optimizer.step()
            header, blob = {}, b''
            for k, t in model.state_dict().items():  # safetensors as any PyTorch program writes it: no metadata
                b = t.contiguous().numpy().astype('<f4').tobytes()
                header[k] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [len(blob), len(blob) + len(b)]}
                blob += b
            text = json.dumps(header).encode()
            text += b' ' * (-len(text) % 8)
            open(model_path, 'wb').write(struct.pack('<Q', len(text)) + text + blob)
        x, y = images('t10k-images-idx3-ubyte'), torch.tensor(idx('t10k-labels-idx1-ubyte').astype(np.int64))
        with torch.no_grad():
            print(sum((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item() for i in range(0, len(y), 1000)))
        """;

    [SkippableFact]
    public async Task TrainedHere_SameDigitInOnnxRuntimeOnAllTestImages_AndSameAccuracyInPyTorch()
    {
        string mnist = FullMnist.DirectoryOrSkip();
        using var dir = new TempDirectory();
        (int code, string output) = await Trainer(
            "--data", mnist, "--layers", Layers, "--train-limit", "2000", "--epochs", "1", "--batch-size", "10", "--learning-rate", "0.03",
            "--momentum", "0", "--save", dir.File("cnn.safetensors"), "--export-onnx", dir.File("cnn.onnx"), "--report", dir.File("r.json"), "--show", "0");
        code.Should().Be(0, output);
        int ourCorrect = CorrectOf(dir.File("r.json"));
        ourCorrect.Should().BeGreaterThan(8000, "a small CNN after 2,000 images is far above chance (1,000 of 10,000)");

        DataSet<float> test = Mnist.Load<float>(mnist).Test;
        Network<float> network = SafeTensors.Load<float>(dir.File("cnn.safetensors"));
        Tensor<float> logits = network.Outputs(test.Inputs);
        int[] digits = network.PredictClasses(test.Inputs);
        float[,] onnx = Serialization.OnnxExportTest.RunOnnx(dir.File("cnn.onnx"), test.Inputs);
        double maxDifference = 0;
        for (int i = 0; i < test.Count; i++)
        {
            int onnxDigit = 0;
            for (int j = 0; j < 10; j++)
            {
                maxDifference = Math.Max(maxDifference, Math.Abs(onnx[i, j] - logits[i, j]));
                onnxDigit = onnx[i, j] > onnx[i, onnxDigit] ? j : onnxDigit;
            }

            onnxDigit.Should().Be(digits[i], $"test image {i}");
        }

        test.Count.Should().Be(10_000);
        maxDifference.Should().BeLessThanOrEqualTo(1e-4);

        PyTorch.SkipUnlessInstalled();
        (int torchCode, string torchOutput) = PyTorch.Run("-c", Script, "load", mnist, dir.File("cnn.safetensors"));
        torchCode.Should().Be(0, torchOutput);
        int.Parse(torchOutput, CultureInfo.InvariantCulture).Should().Be(ourCorrect, "PyTorch's nn.Sequential with our weights gets the test images we get right");
    }

    [SkippableFact]
    public async Task TrainedInPyTorch_EvaluatesHereFromLayersToPyTorchsAccuracy()
    {
        string mnist = FullMnist.DirectoryOrSkip();
        PyTorch.SkipUnlessInstalled();
        using var dir = new TempDirectory();
        (int torchCode, string torchOutput) = PyTorch.Run("-c", Script, "train", mnist, dir.File("torch.safetensors"));
        torchCode.Should().Be(0, torchOutput);
        int torchCorrect = int.Parse(torchOutput, CultureInfo.InvariantCulture);

        (int code, string output) = await Trainer("evaluate", "--model", dir.File("torch.safetensors"), "--data", mnist, "--layers", Layers, "--report", dir.File("e.json"));

        code.Should().Be(0, output);
        torchCorrect.Should().BeGreaterThan(8000, "PyTorch's CNN after 3,000 images is far above chance (1,000 of 10,000)");
        CorrectOf(dir.File("e.json")).Should().Be(torchCorrect, output);
    }

    private static int CorrectOf(string report)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        return (int)Math.Round(json.RootElement.GetProperty("testAccuracy").GetDouble() * json.RootElement.GetProperty("testSamples").GetInt32());
    }

    private static async Task<(int Code, string Output)> Trainer(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await TrainerApp.RunAsync(args, output, error, interactive: false);
        return (code, output + error.ToString());
    }
}
