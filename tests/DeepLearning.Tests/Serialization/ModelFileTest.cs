using DeepLearning.Serialization;

namespace DeepLearning.Tests.Serialization;

public class ModelFileTest
{
    [Fact]
    public void SaveThenLoad_PredictsExactlyTheSame()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(6, seed: 3).Dense(5, Activation.ReLU).Dense(4, Activation.Tanh).Dense(3, Activation.Softmax).Build();
        var x = Tensor<float>.FromRows([1, 2, 3, 4, 5, 6], [-1, 0.5f, 0, 2, -3, 1]);

        ModelFile.Save(network, dir.File("model.dlnn"));
        Network<float> loaded = ModelFile.Load<float>(dir.File("model.dlnn"));

        loaded.Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
        loaded.Summary().Should().Be(network.Summary());
        Directory.GetFiles(dir.Path).Should().ContainSingle("the temporary file was renamed");
    }

    [Fact]
    public void LoadFromBytes_PredictsAsTheFileDoes_AndChecksLikeIt()
    {
        using var dir = new TempDirectory();
        string path = SaveSmall(dir);
        byte[] bytes = File.ReadAllBytes(path);
        var x = Tensor<float>.FromRows([1, -2, 3]);

        ModelFile.Load<float>(bytes, "fetched.dlnn").Predict(x).ToArray()
            .Should().BeEquivalentTo(ModelFile.Load<float>(path).Predict(x).ToArray(), o => o.WithStrictOrdering());

        Action truncated = () => ModelFile.Load<float>(bytes[..^10], "https://example.test/m.dlnn");
        truncated.Should().Throw<InvalidDataException>().WithMessage("https://example.test/m.dlnn: the model file is truncated or corrupted*");
        Action empty = () => ModelFile.Load<float>([], "empty");
        empty.Should().Throw<InvalidDataException>().WithMessage("empty: not a DeepLearning model file*");
    }

    [Fact]
    public void Load_WithoutBias_RoundTrips()
    {
        using var dir = new TempDirectory();
        var layer = new Dense<double>(1, 1, Activation.Identity, useBias: false);
        layer.Weights[0, 0] = 4.2;

        ModelFile.Save(new Network<double>(layer), dir.File("w.dlnn"));
        var loaded = (Dense<double>)ModelFile.Load<double>(dir.File("w.dlnn")).Layers[0];

        loaded.Weights[0, 0].Should().Be(4.2);
        loaded.Bias.Should().BeNull();
    }

    [Fact]
    public void Load_Truncated_SaysTruncatedOrCorrupted()
    {
        using var dir = new TempDirectory();
        string path = SaveSmall(dir);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);

        Action act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("model.dlnn: the model file is truncated or corrupted (its SHA-256 checksum does not match).");
    }

    [Fact]
    public void Load_OneBitFlipped_SaysCorrupted()
    {
        using var dir = new TempDirectory();
        string path = SaveSmall(dir);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[40] ^= 1;
        File.WriteAllBytes(path, bytes);

        Action act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*truncated or corrupted*");
    }

    [Fact]
    public void Load_ForeignFile_SaysNotAModel()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("model.dlnn"), "{\"weights\": []}");

        Action act = () => ModelFile.Load<float>(dir.File("model.dlnn"));

        act.Should().Throw<InvalidDataException>().WithMessage("model.dlnn: not a DeepLearning model file*");
    }

    [Fact]
    public void Load_OtherVersion_NamesBothVersions()
    {
        using var dir = new TempDirectory();
        string path = SaveSmall(dir);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[4] = 7;
        File.WriteAllBytes(path, bytes);

        Action act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("model.dlnn: model format version 7 is not supported; this library reads versions 1 to 4.");
    }

    [Fact]
    public void Load_FloatModelAsDouble_Converts()
    {
        using var dir = new TempDirectory();
        string path = SaveSmall(dir);

        Network<double> loaded = ModelFile.Load<double>(path);

        loaded.ParameterCount.Should().Be(3 * 2 + 2);
    }

    private static string SaveSmall(TempDirectory dir)
    {
        string path = dir.File("model.dlnn");
        ModelFile.Save(new NetworkBuilder<float>(3, seed: 1).Dense(2, Activation.Sigmoid).Build(), path);
        return path;
    }

    [Fact]
    public void Load_FileWrittenBy010_PredictsWhatItPredictedThen()
    {
        // Written by 0.1.0 (format version 1): a 4-3-2 float network, tanh then softmax, saved with its predictions.
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures");
        Network<float> network = ModelFile.Load<float>(Path.Combine(fixtures, "model-0.1.0.dlnn"));
        float[][] expected = [.. File.ReadAllLines(Path.Combine(fixtures, "model-0.1.0.predictions.txt"))
            .Select(l => l.Split(' ').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())];

        Tensor<float> predicted = network.Predict(Tensor<float>.FromRows([1, 2, 3, 4], [-1, 0.5f, 0, 2]));

        network.ToString().Should().Be("Network<Single> 4→3→2");
        ((Dense<float>)network.Layers[1]).Activation.Should().BeSameAs(Activation.Softmax);
        for (int i = 0; i < 2; i++)
        {
            predicted.GetRow(i).Should().Equal(expected[i], "the values are stored bit for bit");
        }
    }

    [Fact]
    public void SaveThenLoad_WithDropoutLeakyReLUAndDouble_RoundTripsThroughTheLayerProtocol()
    {
        using var dir = new TempDirectory();
        Network<double> network = new NetworkBuilder<double>(5, seed: 4).Dense(6, new LeakyReLU(0.2)).Dropout(0.3).Dense(2).Build();
        var x = Tensor<double>.FromRows([1, 2, 3, 4, 5], [0, -1, 0.5, 2, 1]);

        ModelFile.Save(network, dir.File("n.dlnn"));
        Network<double> loaded = ModelFile.Load<double>(dir.File("n.dlnn"));

        loaded.Layers.Select(l => l.Kind).Should().Equal("dense", "dropout", "dense");
        loaded.Layers[1].Configuration.ToString().Should().Be(network.Layers[1].Configuration.ToString());
        ((Dense<double>)loaded.Layers[0]).Activation.Spec.Should().Be("leaky_relu(0.2)");
        loaded.Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
        File.ReadAllBytes(dir.File("n.dlnn")).AsSpan(4, 2).ToArray().Should().Equal(4, 0);
    }

    [Fact]
    public void Load_Format3FileOfTheTrainer_EvaluatesToTheAccuracyItWasSavedWith()
    {
        // Saved by the digit trainer of commit 80ec45c (format 3, before layers had state): conv2d(4,5,relu) maxpool2d(2)
        // dropout(0.2) dense(10), trained one epoch on 1,000 images of the embedded subset; it reported 78.71%.
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures");
        Network<float> network = ModelFile.Load<float>(Path.Combine(fixtures, "model-0.2-format3.dlnn"));
        DeepLearning.Data.MnistData<float> mnist = DeepLearning.Data.Mnist.Load<float>(Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset"));

        network.Evaluate(mnist.Test, network.Loss!).Accuracy.Should().Be(0.7871);
        network.Layers.Select(l => l.Kind).Should().Equal("conv2d", "maxpool2d", "dropout", "dense");
        network.State.Should().ContainSingle("the dropout's pass count, which format 3 did not store, starts at 0").Which.Values[0].Should().Be(0);
    }

    [Fact]
    public void Load_FileWrittenBy020_PredictsBitForBitAndReadsItsLegacyConfiguration()
    {
        // Written by 0.2.0 (format version 2): 6 → dense(5, leaky_relu(0.1)) → dropout(0.5) → dense(3), float, and its logits then.
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures");
        Network<float> network = ModelFile.Load<float>(Path.Combine(fixtures, "model-0.2.0.dlnn"));
        float[][] expected = [.. File.ReadAllLines(Path.Combine(fixtures, "model-0.2.0.predictions.txt"))
            .Select(l => l.Split(' ').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())];

        Tensor<float> predicted = network.Predict(Tensor<float>.FromRows([1, 2, 3, 4, 5, 6], [-1, 0.5f, 0, 2, -3, 1]));

        network.ToString().Should().Be("Network<Single> 6→5→5→3");
        network.Loss.Should().BeNull("format 2 did not store the loss: Predict gives the outputs");
        network.Layers[1].Configuration.ToString().Should().StartWith("input=5; rate=0.5; seed=");
        predicted.GetRow(0).Should().Equal(expected[0]);
        predicted.GetRow(1).Should().Equal(expected[1]);
    }

    [Fact]
    public void SaveThenLoad_TheLossTravelsWithTheModel()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(3, seed: 2).Dense(4, Activation.ReLU).Dense(2).Build(Loss.BinaryCrossEntropy);
        var x = Tensor<float>.FromRows([1, -2, 3]);

        ModelFile.Save(network, dir.File("m.dlnn"));
        Network<float> loaded = ModelFile.Load<float>(dir.File("m.dlnn"));

        loaded.Loss.Should().BeSameAs(Loss.BinaryCrossEntropy);
        loaded.Predict(x).GetRow(0).Should().Equal(network.Predict(x).GetRow(0)).And.OnlyContain(p => p > 0 && p < 1);
    }

    [Fact]
    public void Save_MoreLayersThanAFileHolds_RefusedBeforeWriting()
    {
        using var dir = new TempDirectory();
        var network = new Network<float>(Enumerable.Range(0, ModelFile.MaxLayers + 1).Select(_ => (ILayer<float>)new Dropout<float>(2, 0.1)));

        Action act = () => ModelFile.Save(network, dir.File("deep.dlnn"));

        act.Should().Throw<NotSupportedException>().WithMessage("*: 10,001 layers, more than the 10,000 a model file holds.");
        Directory.GetFiles(dir.Path).Should().BeEmpty();
    }
}
