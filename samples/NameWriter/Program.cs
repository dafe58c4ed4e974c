// The name writer: makemore for .NET. A character-level language model learns the US baby names of 2018, reports its
// loss beside makemore's, then writes new names.
//
//   dotnet run --project samples/NameWriter -c Release                          the transformer, then 20 new names
//   dotnet run --project samples/NameWriter -c Release -- --model bigram        the first rung of the ladder
//   dotnet run --project samples/NameWriter -c Release -- --help                every option

using NameWriter;
using Samples.Common;

// What a person reads is laid out for the terminal ($COLUMNS, else its width; 80 when piped); the progress within an
// epoch is drawn on the standard error only when that is a terminal.
return await WriterApp.RunAsync(args, Console.Out, Console.Error, ConsoleLayout.Width(!Console.IsOutputRedirected), progress: !Console.IsErrorRedirected);
