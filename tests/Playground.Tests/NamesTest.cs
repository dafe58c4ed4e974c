using System.Globalization;
using System.Text.RegularExpressions;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Serialization;
using DeepLearning.Text;
using DeepLearning.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Playground.Pages;
using Index = Playground.Pages.Index;

namespace Playground.Tests;

/// <summary>The Names page and its model: the shipped transformer, names written, training in the page, attention explained.</summary>
public class NamesTest : PageContext<Names>
{
    private static readonly string Site = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public NamesTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton(new NameAssets(path => File.ReadAllBytesAsync(Path.Combine(Site, path))));
    }

    private static NameData Data => NameData.From(File.ReadAllLines(Path.Combine(Site, NameAssets.NamesPath)));

    private static Network<float> Shipped => ModelFile.Load<float>(Path.Combine(Site, NameAssets.ModelPath));

    [Fact]
    public void ShippedNames_AreTheNameWritersEmbeddedSubset_SplitAsItSplitsThem()
    {
        File.ReadAllBytes(Path.Combine(Site, NameAssets.NamesPath)).Should().Equal(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "names-subset", "names.txt")));
        NameData data = Data;
        (data.Train.Length, data.Dev.Length, data.Test.Length, data.Vocabulary.Count, data.Positions).Should().Be((6_400, 800, 800, 27, 14));
    }

    [Fact]
    public void ShippedModel_IsTheTransformerThePageTrains_AndScoresWhatTheScriptMeasured()
    {
        NameData data = Data;
        Network<float> shipped = Shipped;
        var training = new NameTraining(data, NameTraining.Transformer, seed: 1);

        shipped.Layers.Select(LayerRegistry.SpecOf).Should().Equal(training.Network.Layers.Select(LayerRegistry.SpecOf), "eng/make-playground-names.sh trains NameTraining.Transformer's network");
        CharacterVocabulary.ReadFrom(shipped).Characters.Should().Be(data.Vocabulary.Characters);
        shipped.Evaluate(data.Encode(data.Dev), Loss.CrossEntropy).Loss.Should().BeApproximately(2.0067, 5e-5, "the script's run printed validation loss 2.0067");
        shipped.Evaluate(data.Encode(data.Test), Loss.CrossEntropy).Loss.Should().BeApproximately(1.9748, 5e-5, "and test loss 1.9748");
    }

    [Theory]
    [InlineData("embedding(V,32) context(T) dense(V, bias=false)", "embedding(27,32) context(14) dense(27, bias=false)")]
    [InlineData("V", "27")]
    [InlineData("VT TV V_ x_T T1 T.", "VT TV V_ x_T T1 14.")]
    public void LayersFor_ReplacesTheWordsVAndTOnly(string layers, string expected)
        => new NameModel("m", "", layers, 0.1).LayersFor(27, 14).Should().Be(expected);

    [Fact]
    public void Page_WritesTwelveNamesWithTheShippedModel_AndDrawsEveryHeadOfEmma()
    {
        var page = Open("?page=names");
        Settle(page);

        string[] expected = NameTraining.Write(Shipped, Data.Vocabulary, Names.Written, seed: 1);
        page.FindAll("#generated-names li").Select(li => li.TextContent.Trim()).Should().Equal(expected.Select(n => n.Length == 0 ? "(empty)" : n));
        page.Find("#writer").TextContent.Should().Be("the shipped transformer");
        page.FindAll("table.attention-grid").Should().HaveCount(8, "2 blocks of 4 heads");
        page.FindAll("#grid-2-4 td[id^=cell-]").Should().HaveCount(5 * 5, "'.emma': 5 positions looking at 5");
        page.FindAll("#grid-1-1 td.masked").Should().HaveCount(10, "the 10 cells above the diagonal");
        page.Find("#attention-explain").TextContent.Should().Contain("The layer computed", "the last letter's strongest look is explained from the start");
    }

    [Fact]
    public void EveryWeightOfTheShippedModel_IsTheSoftmaxOfTheMaskedScaledDotProducts()
    {
        var attention = new NameAttention(Shipped, Data.Vocabulary, "emma");
        attention.Symbols.Should().Equal(".", "e", "m", "m", "a");
        for (int l = 0; l < attention.Layers.Count; l++)
        {
            for (int h = 0; h < attention.Layers[l].Heads; h++)
            {
                for (int t = 0; t < 5; t++)
                {
                    double row = 0;
                    for (int j = 0; j < 5; j++)
                    {
                        AttentionExplanation e = attention.Explain(l, h, t, j);
                        e.Weight.Should().BeApproximately(e.LayerWeight, 1e-5, $"block {l + 1}, head {h + 1}, ({t}, {j})");
                        e.Dot.Should().BeApproximately(e.Query.Zip(e.Key, (q, k) => q * k).Sum(), 1e-9);
                        if (j > t)
                        {
                            (e.Masked, e.Weight, e.Scores[j]).Should().Be((true, 0.0, double.NegativeInfinity));
                        }
                        else
                        {
                            e.Scores[j].Should().BeApproximately(e.Dot / Math.Sqrt(8), 1e-9);
                        }

                        row += attention.Weight(l, h, t, j);
                    }

                    row.Should().BeApproximately(1, 1e-5);
                }
            }
        }
    }

    [Fact]
    public void ClickingACell_ExplainsItsWeightWithTheNumbersTheLayerUsed()
    {
        var page = Open("?page=names&name=olivia");
        Settle(page);

        page.Find("#cell-2-3-5-2").Click();

        string text = Regex.Replace(page.Find("#attention-explain").TextContent, @"\s+", " ");
        text.Should().Contain("Block 2, head 3: 'i' (position 5) looks at 'l' (position 2)");
        string weight = page.Find("#explain-weight").TextContent.Split(" = ")[^1].Trim();
        page.Find("#explain-check").TextContent.Should().Contain($"The layer computed {weight}.");
        double shown = double.Parse(page.Find("#cell-2-3-5-2").GetAttribute("data-weight")!, CultureInfo.InvariantCulture);
        double.Parse(weight, CultureInfo.InvariantCulture).Should().BeApproximately(shown, 1e-4);
        page.Find("#cell-2-3-5-2").ClassList.Should().Contain("selected");

        page.Find("#cell-1-1-1-3").Click();
        page.Find("#explain-mask").TextContent.Should().Contain("the causal mask makes the score −∞");
        page.Find("#explain-weight").TextContent.Should().EndWith("= 0.0000");
    }

    [Fact]
    public void TrainHere_TakesTheAddresssSteps_ThenWritesWithTheTrainedNetwork_Reproducibly()
    {
        var page = Open("?page=names&train=30&seed=2");
        Settle(page);

        page.Find("#step-count").TextContent.Should().Be("30");
        page.Find("#writer").TextContent.Should().Be("the transformer trained here (step 30)");
        page.Find("#attention-model").TextContent.Should().Be("the transformer trained here (step 30)");
        double dev = double.Parse(page.Find("#dev-loss").TextContent, CultureInfo.InvariantCulture);
        dev.Should().BeLessThan(Math.Log(27), "25 steps already beat a uniform guess over the 27 tokens");

        var again = new NameTraining(Data, NameTraining.Transformer, seed: 2);
        for (int s = 0; s < 30; s++)
        {
            again.TakeStep();
        }

        page.Find("#dev-loss").TextContent.Should().Be(again.DevLoss.ToString("0.0000", CultureInfo.InvariantCulture), "the same seed, the same run");
        page.FindAll("#generated-names li").Select(li => li.TextContent.Trim())
            .Should().Equal(NameTraining.Write(again.Network, Data.Vocabulary, Names.Written, 2).Select(n => n.Length == 0 ? "(empty)" : n));
        again.Curve.Select(p => p.Step).Should().Equal(0, 25);

        page.Find("#write-with").Click();
        page.Find("#writer").TextContent.Should().Be("the shipped transformer");
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("gru")]
    public void ARecurrentOrMlpWriter_KeepsTheShippedTransformersAttention_AndSaysSo(string model)
    {
        var page = Open($"?page=names&train=5&model={model}");
        Settle(page);

        page.Find("#writer").TextContent.Should().Be($"the {model} trained here (step 5)");
        page.Find("#attention-model").TextContent.Should().Be("the shipped transformer");
        page.Find("#attention-note").TextContent.Should().Contain("has no attention layer");
        page.Find("#model").GetAttribute("value").Should().Be(model);
    }

    [Fact]
    public void BadAddressValues_AreNamedInNotes_AndTheDefaultsUsed()
    {
        var page = Open("?page=names&seed=-1&train=1e12&model=lstm&name=zoë");
        Settle(page);

        string[] notes = [.. page.FindAll("#notes li").Select(li => li.TextContent)];
        notes.Should().HaveCount(4);
        notes.Should().Equal(
            "seed '-1' is not a whole number from 0 to 2147483647: using 1",
            "train '1e12' is not a whole number from 1 to 1000000: using 0",
            "model 'lstm' is not one of transformer, mlp, gru: using transformer",
            "name 'zoë': 'ë' (U+00EB) (character 3 of 'zoë') is not in the vocabulary: using emma");
        page.Find("#attention-name").GetAttribute("value").Should().Be(Names.DefaultName);
        page.Find("#step-count").TextContent.Should().Be("0");
    }

    [Fact]
    public void ATypedNameTooLongOrWithAnUnknownCharacter_IsOneNoteAndTheLastDrawingStays()
    {
        var page = Open("?page=names");
        Settle(page);

        page.Find("#attention-name").Change("abcdefghijklmnop");
        page.Find("#attention-note").TextContent.Should().Be("The network reads at most 13 letters; 'abcdefghijklmnop' has 16.");
        page.FindAll("table.attention-grid").Should().HaveCount(8);

        page.Find("#attention-name").Change("Ava");
        page.Find("#attention-model").TextContent.Should().Be("the shipped transformer");
        page.FindAll("#grid-1-1 td[id^=cell-]").Should().HaveCount(16, "'ava', lower-cased: 4 positions");
    }
}
