using System.Runtime.CompilerServices;
using DeepLearning;

namespace OutsideConcepts;

/// <summary>The new concepts join the library: one registration call each, at start-up.</summary>
internal static class Registrations
{
    [ModuleInitializer]
    internal static void Register()
    {
        Registries.Activations.Register("softplus", "", "log(1 + e^z)", _ => new Softplus());
        Registries.Layers.Register<Scale<float>, Scale<double>>("scale", "", "A = X ⊙ w, one weight per feature");
        Registries.Layers.Register<Center<float>, Center<double>>("center", "momentum = 0.1", "X − the batch's mean per feature (a running average of it at inference)");
        Registries.Schedules.Register("inverse_sqrt", "warmup", "ε·min((t + 1)/w, √(w/(t + 1))): the original Transformer's", a => new InverseSqrt(a.GetSize("warmup")));
        Registries.Optimizers.Register("rmsprop", "lr = 0.01, rho = 0.99, eps = 1e-8", "w ← w − ε·g / (√v + δ), v a running average of g²", a => new RMSprop(a.GetNumber("lr"), a.GetNumber("rho"), a.GetNumber("eps")));
    }
}
