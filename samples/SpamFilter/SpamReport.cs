using Samples.Common;

namespace SpamFilter;

/// <summary>
/// What --report writes: the data and its split, each model's accuracy, precision and recall on the same held-out mails
/// (spam the positive class; <c>networkAccuracy</c> is the network on raw bytes, the one without hand-made features), and
/// how the networks were trained.
/// </summary>
internal sealed record SpamReport(
    string Data,
    string DataFile,
    int Mails,
    int TrainMails,
    int DevMails,
    int TestMails,
    int TestSpam,
    double NaiveBayesAccuracy,
    double NaiveBayesPrecision,
    double NaiveBayesRecall,
    double WordsNetworkAccuracy,
    double WordsNetworkPrecision,
    double WordsNetworkRecall,
    double NetworkAccuracy,
    double NetworkPrecision,
    double NetworkRecall,
    SpamReport.Scores NaiveBayes,
    ModelRun WordsNetwork,
    ModelRun BytesNetwork,
    int AllWrong,
    int Seed)
{
    /// <summary>The report as indented JSON, camelCase names.</summary>
    public string ToJson() => ReportJson.Serialize(this);

    /// <summary>A model's answers on the test mails, spam the positive class.</summary>
    internal sealed record Scores(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
    {
        public double Accuracy => (double)(TruePositives + TrueNegatives) / (TruePositives + FalsePositives + TrueNegatives + FalseNegatives);

        /// <summary>Of the mails called spam, the share that is spam (1 when none is called spam).</summary>
        public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

        /// <summary>Of the spam, the share called spam (1 when there is none).</summary>
        public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

        public static Scores Of(IReadOnlyList<Mail> mails, IReadOnlyList<bool> saysSpam)
        {
            int tp = 0, fp = 0, tn = 0, fn = 0;
            for (int i = 0; i < mails.Count; i++)
            {
                (tp, fp, tn, fn) = (mails[i].IsSpam, saysSpam[i]) switch
                {
                    (true, true) => (tp + 1, fp, tn, fn),
                    (false, true) => (tp, fp + 1, tn, fn),
                    (false, false) => (tp, fp, tn + 1, fn),
                    _ => (tp, fp, tn, fn + 1),
                };
            }

            return new Scores(tp, fp, tn, fn);
        }
    }
}

/// <summary>How a network was built and trained, and its test scores.</summary>
internal sealed record ModelRun(string Layers, long Parameters, int Epochs, double TrainSeconds, SpamReport.Scores? Test);
