// The handwritten-digit trainer: MNIST end to end, from raw IDX files to a trained network.
//
//   dotnet run --project samples/DigitTrainer -c Release                     train with the defaults
//   dotnet run --project samples/DigitTrainer -c Release -- --help           every option
//   dotnet run --project samples/DigitTrainer -c Release -- predict --model digits.dlnn --image seven.png

using DigitTrainer;

if (!Console.IsOutputRedirected)
{
    try
    {
        TrainerApp.Width = Math.Max(40, Console.WindowWidth);
    }
    catch (IOException)
    {
        // no terminal after all: keep 80
    }
}

return await TrainerApp.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected);
