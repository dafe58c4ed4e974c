using BenchmarkDotNet.Running;
using DeepLearning.Benchmarks;

// dotnet run -c Release --project benchmarks/DeepLearning.Benchmarks -- --filter '*'
// Add --job dry for a quick smoke run.
// dotnet run -c Release --project benchmarks/DeepLearning.Benchmarks -- transformer-step
//   times the name writer's transformer step as benchmarks/compare-pytorch/pytorch_names.py --time-steps does (one JSON line).
if (args is ["transformer-step"])
{
    TransformerStepBenchmarks.Time();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
