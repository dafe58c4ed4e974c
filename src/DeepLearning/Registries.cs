using DeepLearning.Activations;
using DeepLearning.Initialization;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Regularization;

namespace DeepLearning;

/// <summary>
/// The registry of each family of concepts: the one place that lists them. A new activation, loss, initializer or optimizer
/// is one file with its class and one <c>Register</c> line here; the trainer's options and help, the model file and the
/// docs find it from there.
/// </summary>
/// <example>
/// <code>
/// foreach (string line in Registries.Activations.Describe()) Console.WriteLine(line);
/// IActivation σ = Registries.Activations.Create("leaky_relu(0.01)");
/// </code>
/// </example>
public static class Registries
{
    static Registries()
    {
        Activations.Register("sigmoid", "", "σ(z) = 1 / (1 + e^(−z))", _ => Activation.Sigmoid);
        Activations.Register("tanh", "", "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))", _ => Activation.Tanh);
        Activations.Register("relu", "", "max(0, z)", _ => Activation.ReLU);
        Activations.Register("leaky_relu", "α = 0.01", "z for z > 0, else α·z", a => new LeakyReLU(Registry<IActivation>.Argument(a, 0, 0.01)));
        Activations.Register("identity", "", "z (a linear layer)", _ => Activation.Identity, "linear");
        Activations.Register("softmax", "", "e^(zᵢ) / Σⱼ e^(zⱼ) over each row", _ => Activation.Softmax);

        Losses.Register("quadratic", "", "½‖a − y‖² per sample (Nielsen's), mean over the batch", _ => Loss.Quadratic);
        Losses.Register("mse", "", "mean of (a − y)² over the outputs, mean over the batch", _ => Loss.MeanSquaredError, "mean_squared_error", "meansquarederror");
        Losses.Register("cross_entropy", "", "−Σ y·log a after a softmax output, mean over the batch", _ => Loss.CrossEntropy, "crossentropy");
        Losses.Register("binary_cross_entropy", "", "−Σ [y·log a + (1 − y)·log(1 − a)] after sigmoid outputs", _ => Loss.BinaryCrossEntropy, "binarycrossentropy");

        Initializers.Register("standard_normal", "", "N(0, 1), the textbook's", _ => Initializer.StandardNormal);
        Initializers.Register("gaussian", "mean = 0, standard deviation = 1", "N(mean, sd²)", a => new Gaussian(Registry<IInitializer>.Argument(a, 0, 0), Registry<IInitializer>.Argument(a, 1, 1)));
        Initializers.Register("glorot_uniform", "", "U(−√(6/(n_in + n_out)), +√(6/(n_in + n_out)))", _ => Initializer.GlorotUniform, "glorot", "xavier");
        Initializers.Register("he_normal", "", "N(0, 2/n_in)", _ => Initializer.HeNormal, "he");
        Initializers.Register("zeros", "", "all 0", _ => Initializer.Zeros);

        Regularizers.Register("l2", "λ", "adds (λ/2n)·Σw² to the loss: w ← (1 − ηλ/n)·w − η·∂C₀/∂w (Nielsen's convention)", a => new L2(a.Length > 0 ? a[0] : throw new ArgumentException("l2 needs λ, for example l2(5).")));

        Layers.Register("dense", typeof(Dense<>), "A = σ(X·W + b), W n_in×n_out");
        Layers.Register("dropout", typeof(Dropout<>), "while training, each input dropped with probability p, the others scaled by 1/(1 − p)");

        Optimizers.Register("gradient_descent", "ε = 0.1, μ = 0", "w ← w − ε·∂L/∂w (with momentum μ: v ← μv − ε·∂L/∂w, w ← w + v)", a => new GradientDescent(Registry<IOptimizer>.Argument(a, 0, 0.1), Registry<IOptimizer>.Argument(a, 1, 0)), "sgd");
        Optimizers.Register("adam", "ε = 0.001, β₁ = 0.9, β₂ = 0.999, δ = 1e-8", "steps scaled by running averages of g and g² (Kingma and Ba)", a => new Adam(Registry<IOptimizer>.Argument(a, 0, 0.001), Registry<IOptimizer>.Argument(a, 1, 0.9), Registry<IOptimizer>.Argument(a, 2, 0.999), Registry<IOptimizer>.Argument(a, 3, 1e-8)));
    }

    /// <summary>The activation functions: sigmoid, tanh, relu, leaky_relu(α), identity, softmax.</summary>
    public static Registry<IActivation> Activations { get; } = new("activation");

    /// <summary>The loss functions: quadratic, mse, cross_entropy, binary_cross_entropy.</summary>
    public static Registry<ILoss> Losses { get; } = new("loss");

    /// <summary>The weight initializers: standard_normal, gaussian(mean, sd), glorot_uniform, he_normal, zeros.</summary>
    public static Registry<IInitializer> Initializers { get; } = new("initializer");

    /// <summary>The regularizers: l2(λ).</summary>
    public static Registry<IRegularizer> Regularizers { get; } = new("regularizer");

    /// <summary>The kinds of layer: dense, dropout.</summary>
    public static LayerRegistry Layers { get; } = new();

    /// <summary>The optimizers: gradient_descent(ε, μ), adam(ε, β₁, β₂, δ).</summary>
    public static Registry<IOptimizer> Optimizers { get; } = new("optimizer");
}
