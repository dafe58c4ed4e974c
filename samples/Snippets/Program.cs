// Runs every snippet of the articles in docs/articles and prints what each one prints there.
// Usage: dotnet run --project samples/Snippets -c Release

using Snippets;

(string Article, Action<TextWriter> Run)[] articles =
[
    ("Neurons and weights", w => NeuronsAndWeights.Run(w)),
    ("Forward propagation", w => ForwardPropagation.Run(w)),
    ("Activation functions", w => ActivationFunctions.Run(w)),
    ("Loss functions", w => LossFunctions.Run(w)),
    ("Gradient descent", w => GradientDescentSteps.Run(w)),
    ("Backpropagation", w => Backpropagation.Run(w)),
    ("Learned features", w => LearnedFeatures.Run(w)),
    ("A digit classifier", w => DigitClassifier.Run(w, epochs: 2)),
];

foreach ((string article, Action<TextWriter> run) in articles)
{
    Console.WriteLine($"== {article}");
    run(Console.Out);
    Console.WriteLine();
}
