using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Index = Playground.Pages.Index;

namespace Playground.Tests;

/// <summary>The page as a person uses it: its controls, one step, the step explanation, the URL.</summary>
public class PageTest : BunitContext
{
    private IRenderedComponent<Index> Open(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("http://localhost/" + query);
        return Render<Index>();
    }

    [Fact]
    public void AtStepZero_TheStepAxisHasNoRepeatedOrFractionalTicks_AndTheNavLinksTheCourse()
    {
        var page = Open("?dataset=xor&layers=4&seed=1");

        string[] ticks = [.. page.FindAll("text.step-tick").Select(t => t.TextContent)];
        ticks.Should().OnlyHaveUniqueItems().And.AllSatisfy(t => t.Should().MatchRegex("^[0-9,]+$"));
        page.FindAll("nav.pages a").Select(a => a.GetAttribute("href")).Should().Contain("../playground.html");
    }

    [Theory]
    [InlineData(-0.002661, "(-0.002661)")]
    [InlineData(0.017285, "0.017285")]
    public void Factor_ANegativeNumberInAProduct_InParentheses(double value, string shown)
        => Index.Factor(value).Should().Be(shown);

    [Fact]
    public void OneStep_MovesTheCountAndTheLosses()
    {
        var page = Open("?dataset=xor&layers=4&activation=tanh&learningRate=0.3&seed=1");
        string before = page.Find("#train-loss").TextContent;

        page.Find("#step").Click();

        page.Find("#step-count").TextContent.Should().Be("1");
        page.Find("#train-loss").TextContent.Should().NotBe(before).And.MatchRegex(@"^\d+\.\d{4}$");
        page.Find("#test-loss").TextContent.Should().MatchRegex(@"^\d+\.\d{4}$");
    }

    [Fact]
    public void ChangingTheActivation_StartsANewRunAndUpdatesTheAddress()
    {
        var page = Open("?dataset=xor&layers=4&activation=tanh&seed=1");
        page.Find("#step").Click();

        page.Find("#activation").Change("relu");

        page.Find("#step-count").TextContent.Should().Be("0");
        Services.GetRequiredService<NavigationManager>().Uri.Should().Contain("activation=relu").And.Contain("dataset=xor");
        page.Find("#share").GetAttribute("href").Should().Contain("activation=relu");
    }

    [Fact]
    public void LayerButtons_AddAndRemoveWeightMatrices()
    {
        var page = Open("?layers=4");
        page.FindAll("table.matrix").Should().HaveCount(2);
        page.Find("#remove-layer").HasAttribute("disabled").Should().BeTrue("a network keeps at least one hidden layer");

        page.Find("#add-layer").Click();
        page.Find("#more-2").Click();

        page.FindAll("table.matrix").Should().HaveCount(3);
        page.Find("#neurons-2").TextContent.Should().Be("5");
        page.Find("#w2").QuerySelectorAll("tr").Should().HaveCount(1 + 4, "W2 has one row per neuron of hidden layer 1");

        page.Find("#remove-layer").Click();
        page.FindAll("table.matrix").Should().HaveCount(2);
    }

    [Fact]
    public void ClickingAWeight_ExplainsTheNextStepWithItsNumbers()
    {
        var page = Open("?dataset=xor&layers=4&activation=tanh&learningRate=0.3&seed=1");

        page.Find("#w1-2-3").Click();

        page.Find("#explain-rate").TextContent.Should().Be("0.3");
        double w = double.Parse(page.Find("#explain-w").TextContent, System.Globalization.CultureInfo.InvariantCulture);
        double g = double.Parse(page.Find("#explain-gradient").TextContent, System.Globalization.CultureInfo.InvariantCulture);
        page.Find("#explain-update").TextContent.Should().Contain("w ← w − ε·∂L/∂w")
            .And.EndWith(page.Find("#explain-update").TextContent.Split(" = ")[^1]);
        string predicted = (w - (0.3 * g)).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        page.Find("#explain-update").TextContent.Should().Contain("= " + predicted[..5]);

        page.Find("#step").Click();

        string check = page.Find("#explain-check").TextContent;
        string[] numbers = System.Text.RegularExpressions.Regex.Matches(check, @"-?\d+\.\d+").Select(m => m.Value).ToArray();
        numbers.Should().HaveCount(2).And.OnlyContain(n => n == numbers[0], "the step did what the explanation said");
    }

    [Fact]
    public void AnInvalidAddress_ShowsWhatWasNotUnderstood()
    {
        var page = Open("?dataset=moon&learningRate=abc");

        page.Find("#notes").TextContent.Should().Contain("dataset 'moon'").And.Contain("learningRate 'abc'");
        page.Find("#dataset").GetAttribute("value").Should().Be("circle");
    }

    [Fact]
    public void Autoplay_TrainsTheStepsAndSaysDone()
    {
        var page = Open("?dataset=xor&layers=4&activation=tanh&learningRate=0.3&seed=1&steps=60&autoplay=true");

        page.WaitForAssertion(() => page.Find("#playground").GetAttribute("data-done").Should().Be("true"), TimeSpan.FromMinutes(5)); // a hang guard: the wait ends when the page is done

        page.Find("#step-count").TextContent.Should().Be("60");
        page.Find("#play").HasAttribute("disabled").Should().BeTrue();
    }

    [Fact]
    public void ADivergingRun_PausesWithAMessage()
    {
        var page = Open("?dataset=curve&layers=8,8&activation=relu&learningRate=10&seed=1&autoplay=true");

        page.WaitForAssertion(() => page.Find("#playground").GetAttribute("data-done").Should().Be("true"), TimeSpan.FromMinutes(5)); // a hang guard: the wait ends when the page is done

        page.Find("#diverged").TextContent.Should().Contain("Try a smaller one");
        page.Find("#play").HasAttribute("disabled").Should().BeTrue("a diverged run waits for a reset");
    }

    [Theory]
    [InlineData(0.69, new[] { 0, 0.2, 0.4, 0.6 })]
    [InlineData(2600, new[] { 0.0, 1000, 2000 })]
    [InlineData(1, new[] { 0, 0.2, 0.4, 0.6, 0.8, 1 })]
    [InlineData(0.05, new[] { 0, 0.01, 0.02, 0.03, 0.04, 0.05 })]
    [InlineData(double.NaN, new[] { 0.0 })]
    public void LossChartTicks_AreRoundStepsFromZero(double max, double[] expected)
        => Index.NiceTicks(max).Should().Equal(expected);

    [Fact]
    public void Status_CountsEpochsAndShowsNoRateBeforeItCanBeMeasured()
    {
        // Four steps of 10 points: 40 points, against the training set's size.
        var page = Open("?dataset=xor&layers=4&activation=tanh&learningRate=0.3&batchSize=10&seed=1");
        var defaults = new Playground.Model.PlaygroundSettings();
        int points = Playground.Model.DataSets.Make("xor", defaults.Noise, defaults.TrainShare, seed: 1).Training.Length;

        for (int i = 0; i < 4; i++)
        {
            page.Find("#step").Click();
        }

        page.Find("#epoch-count").TextContent.Should().Be((4.0 * 10 / points).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        page.Find("#steps-per-second").TextContent.Should().Be("–", "single steps are not a measured run");
    }

    [Fact]
    public void Diagram_HasALinePerWeightColouredBySign_AndALineExplainsItsWeight()
    {
        var page = Open("?dataset=xor&layers=4,3&activation=tanh&learningRate=0.3&seed=1");

        // 2×4 + 4×3 + 3×1 weights, and 2 + 4 + 3 + 1 neurons.
        page.FindAll("#diagram line.weight").Should().HaveCount(23);
        page.FindAll("#diagram .node").Should().HaveCount(10);
        string title = page.Find("#line1-2-3 title").TextContent;
        double w = double.Parse(title.Split(" = ")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        page.Find("#line1-2-3").GetAttribute("stroke").Should().Be(w >= 0 ? "#f59322" : "#0877bd");

        page.Find("#line1-2-3").Click();

        page.Find("#line1-2-3").ClassList.Should().Contain("selected");
        page.Find("#w1-2-3").ClassList.Should().Contain("selected", "the line and the matrix cell are the same weight");
        double explained = double.Parse(page.Find("#explain-w").TextContent, System.Globalization.CultureInfo.InvariantCulture);
        explained.Should().BeApproximately(w, 5e-5, "the explanation is of the weight the line draws (its title rounds to 4 decimals)");
    }

    [Fact]
    public void Dropout_IsAControlInTheAddress_AndTheExplainedStepIsTheStepTaken()
    {
        var page = Open("?dataset=circle&layers=8,8&dropout=0.3&seed=4");
        page.Find("#dropout").GetAttribute("value").Should().Be("0.3");
        page.Find("#share").GetAttribute("href").Should().Contain("dropout=0.3");

        page.Find("#w2-3-4").Click();
        page.Find("#explain-dropout").TextContent.Should().StartWith("p = 0.3");
        page.Find("#step").Click();

        string check = page.Find("#explain-check").TextContent;
        string[] numbers = System.Text.RegularExpressions.Regex.Matches(check, @"-?\d+\.\d+").Select(m => m.Value).ToArray();
        numbers.Should().HaveCount(2).And.OnlyContain(n => n == numbers[0], "the step did what the explanation said, dropout's mask included");

        page.Find("#dropout").Change("0");
        Services.GetRequiredService<NavigationManager>().Uri.Should().Contain("dropout=0&");
        page.FindAll("#explain-dropout").Should().BeEmpty();
    }

    [Fact]
    public void L2_IsAControlInTheAddress_AndTheExplanationShowsItsTerm()
    {
        var page = Open("?dataset=xor&layers=4&activation=tanh&learningRate=0.3&l2=1&seed=1");

        page.Find("#l2").GetAttribute("value").Should().Be("1");
        page.Find("#share").GetAttribute("href").Should().Contain("l2=1");
        page.Find("#w1-2-3").Click();

        page.Find("#explain-l2").TextContent.Should().StartWith("λ·w/n = 1·");
    }
}
