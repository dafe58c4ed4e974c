using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DeepLearning.Serialization;

namespace DeepLearning.Tests.Serialization;

public class SafeTensorsTest
{
    [Fact]
    public void SaveThenLoad_WithArchitectureMetadata_PredictsExactlyTheSame()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(5, seed: 3).Dense(6, new LeakyReLU(0.1)).Dropout(0.2).Dense(3).Build();
        var x = Tensor<float>.FromRows([1, 2, 3, 4, 5], [-1, 0.5f, 0, 2, 1]);

        SafeTensors.Save(network, dir.File("m.safetensors"));
        Network<float> loaded = SafeTensors.Load<float>(dir.File("m.safetensors"));

        loaded.Layers.Select(l => l.Kind).Should().Equal("dense", "dropout", "dense");
        loaded.Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
        Directory.GetFiles(dir.Path).Should().ContainSingle();
    }

    [Fact]
    public void Save_WritesPyTorchsNamesShapesAndTheTransposedWeights()
    {
        // A 2→3 layer: W is 2×3 here; PyTorch's 0.weight is [3, 2] with weight[j, i] = W[i, j].
        using var dir = new TempDirectory();
        var layer = new Dense<double>(2, 3, Activation.ReLU);
        double[,] w = { { 1, 2, 3 }, { 4, 5, 6 } };
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                layer.Weights[i, j] = w[i, j];
            }
        }

        layer.Bias![2] = 7;
        SafeTensors.Save(new Network<double>(layer, new Dense<double>(3, 1)), dir.File("t.safetensors"));
        byte[] bytes = File.ReadAllBytes(dir.File("t.safetensors"));
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        JsonElement weight = header.RootElement.GetProperty("0.weight");

        weight.GetProperty("dtype").GetString().Should().Be("F64");
        weight.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(3, 2);
        header.RootElement.TryGetProperty("2.weight", out _).Should().BeTrue("the ReLU module takes index 1");
        (headerLength % 8).Should().Be(0);
        long begin = weight.GetProperty("data_offsets")[0].GetInt64();
        double[] values = [.. Enumerable.Range(0, 6).Select(k => BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 + headerLength + (int)begin + (8 * k))))];
        values.Should().Equal(1, 4, 2, 5, 3, 6); // rows of Wᵀ: [W[0,0], W[1,0]], [W[0,1], W[1,1]], [W[0,2], W[1,2]]
    }

    [SkippableFact]
    public void FileWrittenByPyTorch_LoadsIntoTheSameArchitecture_AndPredictsIdentically()
    {
        PyTorch.SkipUnlessInstalled();
        using var dir = new TempDirectory();
        string file = dir.File("torch.safetensors");
        // Plain torch, no safetensors package: the format is 8 bytes of header length, a JSON header, raw data.
        string script = """
            import json, struct, sys, torch
            torch.manual_seed(0)
            model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2))
            header, data = {}, b""
            for name, t in model.state_dict().items():
                raw = t.detach().contiguous().numpy().tobytes()
                header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(raw)]}
                data += raw
            text = json.dumps(header).encode()
            text += b" " * (-len(text) % 8)
            open(sys.argv[1], "wb").write(struct.pack("<Q", len(text)) + text + data)
            x = torch.tensor([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 0.0, 2.0]])
            print(" ".join(repr(float(v)) for v in model(x).detach().flatten()))
            """;
        (int code, string output) = PyTorch.Run("-c", script, file);
        code.Should().Be(0, output);
        float[] torch = [.. output.Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture))];

        Network<float> network = new NetworkBuilder<float>(4).Dense(3, Activation.Tanh).Dense(2).Build();
        SafeTensors.LoadInto(network, file);
        Tensor<float> ours = network.Predict(Tensor<float>.FromRows([1, 2, 3, 4], [-1, 0.5f, 0, 2]));

        for (int k = 0; k < 4; k++)
        {
            ours[k / 2, k % 2].Should().BeApproximately(torch[k], 1e-6f);
        }
    }

    [Theory]
    [InlineData("unknown", "*: unknown tensor '9.weight'; this network has 0.weight, 0.bias, 2.weight, 2.bias.")]
    [InlineData("shape", "*: tensor '0.weight' has shape [2, 3], expected [3, 2] (PyTorch's layout, [out, in] for a Linear weight).")]
    [InlineData("dtype", "*: tensor '0.weight' has dtype 'F16'; this library reads F32 and F64, and I64 for counts.")]
    [InlineData("missing", "*: tensor '2.bias' is missing.")]
    [InlineData("offsets", "*: tensor '0.weight' (*) has data_offsets *, which do not hold 6 values inside the * bytes of data.")]
    [InlineData("overlap", "*: tensor '0.bias' overlaps the one before it in the data.")]
    [InlineData("hole", "*: 4 bytes of the data before tensor '2.weight' belong to no tensor.")]
    [InlineData("trailing", "*: 4,096 bytes after the last tensor belong to no tensor.")]
    [InlineData("header", "*: the header claims 999,999,999,999 bytes*")]
    public void LoadInto_BadFiles_OneLineNamingTheProblem(string problem, string message)
    {
        using var dir = new TempDirectory();
        string file = dir.File("bad.safetensors");
        var entries = new Dictionary<string, object>
        {
            ["0.weight"] = new { dtype = "F32", shape = new[] { 3, 2 }, data_offsets = new[] { 0, 24 } },
            ["0.bias"] = new { dtype = "F32", shape = new[] { 3 }, data_offsets = new[] { 24, 36 } },
            ["2.weight"] = new { dtype = "F32", shape = new[] { 1, 3 }, data_offsets = new[] { 36, 48 } },
            ["2.bias"] = new { dtype = "F32", shape = new[] { 1 }, data_offsets = new[] { 48, 52 } },
        };
        switch (problem)
        {
            case "unknown": entries["9.weight"] = new { dtype = "F32", shape = new[] { 1 }, data_offsets = new[] { 52, 56 } }; break;
            case "shape": entries["0.weight"] = new { dtype = "F32", shape = new[] { 2, 3 }, data_offsets = new[] { 0, 24 } }; break;
            case "dtype": entries["0.weight"] = new { dtype = "F16", shape = new[] { 3, 2 }, data_offsets = new[] { 0, 12 } }; break;
            case "missing": entries.Remove("2.bias"); break;
            case "offsets": entries["0.weight"] = new { dtype = "F32", shape = new[] { 3, 2 }, data_offsets = new[] { 0, 9999 } }; break;
            case "overlap": entries["0.bias"] = new { dtype = "F32", shape = new[] { 3 }, data_offsets = new[] { 20, 32 } }; break;
            case "hole":
                entries["2.weight"] = new { dtype = "F32", shape = new[] { 1, 3 }, data_offsets = new[] { 40, 52 } };
                entries["2.bias"] = new { dtype = "F32", shape = new[] { 1 }, data_offsets = new[] { 52, 56 } };
                break;
        }

        // The data the entries cover, no more (the format forbids bytes no tensor owns), except where that is the problem.
        int data = problem switch { "unknown" or "hole" => 56, "missing" => 48, "trailing" => 52 + 4096, _ => 52 };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(entries);
        var bytes = new byte[8 + json.Length + data];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, problem == "header" ? 999_999_999_999UL : (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(file, bytes);
        Network<float> network = new NetworkBuilder<float>(2).Dense(3, Activation.ReLU).Dense(1).Build();

        Action act = () => SafeTensors.LoadInto(network, file);

        act.Should().Throw<InvalidDataException>().WithMessage(message).Which.Message.Should().StartWith("bad.safetensors: ").And.NotContain("\n");
    }

    [Theory]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "*: the header holds tensor '0.weight' twice.")]
    [InlineData("{\"__metadata__\":{\"format\":\"pt\"},\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "*: the header holds '__metadata__' twice.")]
    [InlineData("{\"__metadata__\":{\"format\":\"pt\",\"format\":\"np\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "*: the metadata holds 'format' twice.")]
    public void LoadInto_DuplicateNames_Refused(string header, string message)
    {
        using var dir = new TempDirectory();
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(dir.File("twice.safetensors"), bytes);

        Action act = () => SafeTensors.LoadInto(new NetworkBuilder<float>(1).Dense(1).Build(), dir.File("twice.safetensors"));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Save_OneInputDenseLayer_WritesPyTorchsTwoDimensionalWeight()
    {
        using var dir = new TempDirectory();
        SafeTensors.Save(new NetworkBuilder<float>(1, seed: 1).Dense(10).Build(), dir.File("one.safetensors"));

        Header(dir.File("one.safetensors")).GetProperty("0.weight").GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).Should().Equal(10, 1);
        Header(dir.File("one.safetensors")).GetProperty("0.bias").GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).Should().Equal(10);
    }

    [Fact]
    public void Load_SeededMutations_OnlyInvalidDataExceptionEscapes()
    {
        using var dir = new TempDirectory();
        SafeTensors.Save(new NetworkBuilder<float>(4, seed: 1).Dense(3, Activation.Tanh).Dropout(0.5).Dense(2).Build(), dir.File("good.safetensors"));
        byte[] original = File.ReadAllBytes(dir.File("good.safetensors"));
        var random = new Random(77);
        for (int trial = 0; trial < 500; trial++)
        {
            string path = dir.File($"m{trial}.safetensors");
            File.WriteAllBytes(path, ModelFileHostileTest.Mutate(original, random, trial));
            try
            {
                SafeTensors.Load<float>(path);
            }
            catch (InvalidDataException e)
            {
                e.Message.Should().Contain($"m{trial}.safetensors").And.NotContain("\n");
            }
        }
    }

    [Fact]
    public void Save_StoresTheLossAndThePyTorchCode_LoadKnowsTheLoss()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(4, seed: 1).Dense(3, Activation.ReLU).Dropout(0.5).Dense(2).Build(Loss.CrossEntropy);

        SafeTensors.Save(network, dir.File("m.safetensors"));
        Network<float> loaded = SafeTensors.Load<float>(dir.File("m.safetensors"));
        JsonElement metadata = Header(dir.File("m.safetensors")).GetProperty("__metadata__");

        loaded.Loss.Should().BeSameAs(Loss.CrossEntropy);
        metadata.GetProperty("deeplearning.loss").GetString().Should().Be("cross_entropy");
        metadata.GetProperty("deeplearning.pytorch").GetString().Should().Be("nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Dropout(0.5), nn.Linear(3, 2))");
    }

    [Fact]
    public void Load_FileWrittenBy020_PredictsWhatItPredictedThen()
    {
        // Written by 0.2.0 (before format 3): a 4-3-2 double network, sigmoid then tanh, and its predictions then.
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures");
        Network<double> network = SafeTensors.Load<double>(Path.Combine(fixtures, "model-0.2.0.safetensors"));
        double[][] expected = [.. File.ReadAllLines(Path.Combine(fixtures, "model-0.2.0.safetensors.predictions.txt")).Select(l => l.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];

        Tensor<double> predicted = network.Predict(Tensor<double>.FromRows([1, 2, 3, 4], [-1, 0.5, 0, 2]));

        network.ToString().Should().Be("Network<Double> 4→3→2");
        network.Loss.Should().BeNull("0.2.0 did not store the loss");
        predicted.GetRow(0).Should().Equal(expected[0]);
        predicted.GetRow(1).Should().Equal(expected[1]);
    }

    [Theory]
    [InlineData("[null]", "*: a layer in 'deeplearning.layers' is not [kind, configuration].")]
    [InlineData("null", "*: 'deeplearning.layers' is not a list of 1 to 10,000 layers.")]
    [InlineData("[[\"dense\", 7]]", "*: a layer in 'deeplearning.layers' is not [kind, configuration].")]
    [InlineData("[[\"dense\", \"input=4; outputs=20000\"], [\"dense\", \"input=20000; outputs=20000\"]]", "*: the architecture metadata describes 400,120,000 parameters, more than the 64 bytes of data hold.")]
    [InlineData("[[\"dense\", \"input=4; outputs=3\"], [\"dense\", \"input=4; outputs=2\"]]", "*: a dense layer takes 4 but the layer before it produces 3.")]
    [InlineData("[[\"conv9\", \"input=4\"]]", "*: the architecture metadata is invalid (unknown layer kind 'conv9'*")]
    public void Load_CraftedArchitecture_RefusedBeforeAnyLayerIsBuilt(string layers, string message)
    {
        using var dir = new TempDirectory();
        string path = dir.File("crafted.safetensors");
        WriteWithMetadata(path, layers);
        long before = GC.GetAllocatedBytesForCurrentThread();

        Action act = () => SafeTensors.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage(message).Which.Message.Should().NotContain("\n");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(10_000_000, "no layer of the metadata was built");
    }

    /// <summary>A file with 64 bytes of data (one tensor, 'filler', holds them) and the given 'deeplearning.layers' metadata.</summary>
    internal static void WriteWithMetadata(string path, string layers)
    {
        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["__metadata__"] = new Dictionary<string, string> { ["deeplearning.layers"] = layers },
            ["filler"] = new { dtype = "F32", shape = new[] { 16 }, data_offsets = new[] { 0, 64 } },
        }));
        var bytes = new byte[8 + json.Length + 64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
    }

    private static JsonElement Header(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return JsonDocument.Parse(bytes.AsMemory(8, headerLength)).RootElement.Clone();
    }
}
