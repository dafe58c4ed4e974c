// The spam filter: the seed's claim that a deep network needs no hand-made features, tested on e-mail. A naive Bayes
// classifier on word counts (the "flat" algorithm with hand-made features) against a network on the same word counts and
// a network on the raw bytes of each mail, on the same held-out mails of the SpamAssassin public corpus.
//
//   dotnet run --project samples/SpamFilter -c Release                       the comparison, on the whole corpus
//   dotnet run --project samples/SpamFilter -c Release -- --report r.json    the same, and a machine-readable summary
//   dotnet run --project samples/SpamFilter -c Release -- --help             every option

using Samples.Common;
using SpamFilter;

return await SpamApp.RunAsync(args, Console.Out, Console.Error, ConsoleLayout.Width(!Console.IsOutputRedirected), progress: !Console.IsErrorRedirected);
