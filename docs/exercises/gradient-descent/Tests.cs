using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace Exercises.Tests;

/// <summary>Checks the gradient descent exercises: by hand, by finite differences, or against the library.</summary>
public class GradientDescentExercisesTests
{
    [Fact(DisplayName = "Exercise 9: x = 2, w = 5, y = 6 gives 8, the article's example")]
    public void Exercise9_TheArticlesExample_Is8()
        => Assert.Equal(8, GradientDescentExercises.Gradient(5, 2, 6), 1e-15);

    [Fact(DisplayName = "Exercise 9: at the optimum w = 3 the gradient is 0")]
    public void Exercise9_AtTheOptimum_IsZero() => Assert.Equal(0, GradientDescentExercises.Gradient(3, 2, 6), 1e-15);

    [Fact(DisplayName = "Exercise 10: one step at ε = 0.1 from w = 5 gives 4.2")]
    public void Exercise10_OneStep_Gives4Point2()
        => Assert.Equal(4.2, GradientDescentExercises.Descend(5, 2, 6, 0.1, 1), 1e-14);

    [Fact(DisplayName = "Exercise 10: two steps give 3.72")]
    public void Exercise10_TwoSteps_Give3Point72()
        => Assert.Equal(3.72, GradientDescentExercises.Descend(5, 2, 6, 0.1, 2), 1e-14);

    [Fact(DisplayName = "Exercise 10: 200 steps reach the optimum 3")]
    public void Exercise10_ManySteps_ReachTheOptimum3()
        => Assert.Equal(3, GradientDescentExercises.Descend(5, 2, 6, 0.1, 200), 1e-12);

    [Fact(DisplayName = "Exercise 11: for x = 2 the limit is 0.5")]
    public void Exercise11_ForX2_IsHalf()
        => Assert.Equal(0.5, GradientDescentExercises.LargestStableLearningRate(2), 1e-15);

    [Fact(DisplayName = "Exercise 11: 2% below the limit the steps reach 3; 2% above they run away")]
    public void Exercise11_JustBelowConverges_JustAboveDiverges()
    {
        double limit = GradientDescentExercises.LargestStableLearningRate(2);
        double below = GradientDescentExercises.Descend(5, 2, 6, limit * 0.98, 2000);
        double above = GradientDescentExercises.Descend(5, 2, 6, limit * 1.02, 2000);
        Assert.Equal(3, below, 1e-6);
        Assert.True(Math.Abs(above - 3) > 1000, $"with ε just above the limit w should run away; it is {above}");
    }
}
