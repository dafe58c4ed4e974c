// The handwritten-digit trainer: MNIST end to end, from raw IDX files to a trained network.
//
//   dotnet run --project samples/DigitTrainer -c Release                     train with the defaults
//   dotnet run --project samples/DigitTrainer -c Release -- --help           every option
//   dotnet run --project samples/DigitTrainer -c Release -- predict --model digits.dlnn --image seven.png

using DigitTrainer;
using Samples.Common;

// What it prints is laid out for the terminal ($COLUMNS, else its width; 80 when piped); an error is one line for a
// script and wrapped for a person.
TrainerApp.Width = ConsoleLayout.Width(isTerminal: !Console.IsOutputRedirected);
TrainerApp.WrapErrors = !Console.IsErrorRedirected;
return await TrainerApp.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected);
