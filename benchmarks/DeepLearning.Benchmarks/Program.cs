using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/DeepLearning.Benchmarks -- --filter '*'
// Add --job dry for a quick smoke run.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
