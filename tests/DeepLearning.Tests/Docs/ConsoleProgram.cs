using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DeepLearning.Tests.Docs;

/// <summary>
/// Compiles a page's code block as the Program.cs of a new console project would be compiled (top-level statements, the
/// SDK's implicit usings, nullable on, the library and its dependencies referenced, nothing else) and runs it in a process
/// of its own, in a folder of its own.
/// </summary>
internal static class ConsoleProgram
{
    /// <summary>The global usings of <c>dotnet new console</c> (ImplicitUsings enabled).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private const string RuntimeConfig = """
        {"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}
        """;

    private static readonly Lazy<(ImmutableArray<MetadataReference> References, string[] LibraryFiles)> Libraries =
        new(FindLibraries);

    /// <summary>The compiler's errors and warnings, one per line, or an empty list when it compiled cleanly.</summary>
    public static IReadOnlyList<string> Compile(string code, string folder)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        SyntaxTree[] trees =
        [
            CSharpSyntaxTree.ParseText(code, options, path: "Program.cs"),
            CSharpSyntaxTree.ParseText(ImplicitUsings, options, path: "GlobalUsings.g.cs"),
        ];
        var compilation = CSharpCompilation.Create(
            "Program",
            trees,
            Libraries.Value.References,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        Directory.CreateDirectory(folder);
        using (FileStream dll = File.Create(Path.Combine(folder, "Program.dll")))
        {
            var result = compilation.Emit(dll);
            var problems = result.Diagnostics
                .Where(d => d.Severity >= DiagnosticSeverity.Warning)
                .Select(d => d.ToString())
                .ToList();
            if (!result.Success || problems.Count > 0)
            {
                return problems;
            }
        }

        File.WriteAllText(Path.Combine(folder, "Program.runtimeconfig.json"), RuntimeConfig);
        foreach (string library in Libraries.Value.LibraryFiles)
        {
            File.Copy(library, Path.Combine(folder, Path.GetFileName(library)), overwrite: true);
        }

        return [];
    }

    /// <summary>Runs a compiled program in its folder; its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) Run(string folder, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet", ["Program.dll"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, output.Result, $"still running after {timeout.TotalMinutes} minutes: killed");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The framework's reference assemblies, the library and the libraries it depends on (not the tests' own).</summary>
    private static (ImmutableArray<MetadataReference>, string[]) FindLibraries()
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var frameworkFiles = Directory.GetFiles(framework, "*.dll")
            .Where(f => IsManagedAssembly(f))
            .ToList();

        var library = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<System.Reflection.Assembly>([typeof(Tensor<>).Assembly]);
        while (pending.TryDequeue(out System.Reflection.Assembly? assembly))
        {
            if (!seen.Add(assembly.GetName().Name!) || assembly.Location.StartsWith(framework, StringComparison.Ordinal))
            {
                continue;
            }

            library.Add(assembly.Location);
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                pending.Enqueue(System.Reflection.Assembly.Load(name));
            }
        }

        var references = frameworkFiles.Concat(library)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToImmutableArray();
        return (references, library.ToArray());
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
