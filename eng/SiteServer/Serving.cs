using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace SiteServer;

/// <summary>Serves a folder of static files, sending F.br or F.gz for F when the browser accepts that encoding.</summary>
internal static class Serving
{
    private const string EncodedItem = "SiteServer.Encoding";

    public static int Run(string folder, string[] options)
    {
        int port = 8080;
        bool classroom = false;
        for (int i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--classroom":
                    classroom = true;
                    break;
                case "--port":
                    if (i + 1 >= options.Length || !int.TryParse(options[i + 1], out port) || port is < 0 or > 65535)
                    {
                        Console.Error.WriteLine("error: --port needs a whole number from 0 to 65535 (0: any free port)");
                        return 2;
                    }

                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"error: unknown option {options[i]} (the options are --port N and --classroom)");
                    return 2;
            }
        }

        string root = Path.GetFullPath(folder);
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            Console.Error.WriteLine($"error: {folder} has no index.html; build the site first (bash eng/build-site.sh)");
            return 1;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (classroom)
            {
                k.Listen(IPAddress.Any, port);
            }
            else
            {
                k.Listen(IPAddress.Loopback, port);
            }
        });
        var app = builder.Build();
        var files = new PhysicalFileProvider(root);
        var types = new FileExtensionContentTypeProvider();
        app.Use((context, next) => PreferCompressedCopy(context, files, next));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
            OnPrepareResponse = ctx => Prepare(ctx, types),
        });

        try
        {
            app.Start();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: cannot listen on port {port}: {e.Message} (give another with --port N)");
            return 1;
        }

        int actual = new Uri(app.Urls.First()).Port;
        Console.WriteLine($"serving {folder} at http://127.0.0.1:{actual}/ (compressed copies sent where they exist)");
        if (classroom)
        {
            foreach (IPAddress address in LocalAddresses())
            {
                Console.WriteLine($"  students open http://{address}:{actual}/");
            }
        }

        Console.WriteLine("Ctrl-C stops it.");
        app.WaitForShutdown();
        return 0;
    }

    /// <summary>
    /// For a GET of F (or of a folder, its index.html) whose F.br or F.gz exists and whose encoding the browser accepts,
    /// the request is answered from that copy; <see cref="Prepare"/> then labels it with F's type and the encoding.
    /// </summary>
    private static Task PreferCompressedCopy(HttpContext context, PhysicalFileProvider files, Func<Task> next)
    {
        string path = context.Request.Path.Value ?? "/";
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            if (path.EndsWith('/'))
            {
                path += "index.html";
            }

            string accepted = context.Request.Headers.AcceptEncoding.ToString();
            context.Response.Headers.Vary = "Accept-Encoding";
            foreach ((string token, string suffix) in new[] { ("br", ".br"), ("gzip", ".gz") })
            {
                if (Accepts(accepted, token) && files.GetFileInfo(path).Exists && files.GetFileInfo(path + suffix).Exists)
                {
                    context.Items[EncodedItem] = (token, path);
                    context.Request.Path = new PathString(path + suffix);
                    break;
                }
            }
        }

        return next();
    }

    private static void Prepare(StaticFileResponseContext ctx, FileExtensionContentTypeProvider types)
    {
        HttpResponse response = ctx.Context.Response;
        response.Headers.CacheControl = "no-cache"; // revalidated on every visit: a rebuilt site is never served stale
        if (ctx.Context.Items[EncodedItem] is (string encoding, string original))
        {
            response.Headers.ContentEncoding = encoding;
            response.ContentType = types.TryGetContentType(original, out string? type) ? type : "application/octet-stream";
        }
    }

    /// <summary>Whether an Accept-Encoding header lists <paramref name="token"/> with a weight above zero.</summary>
    internal static bool Accepts(string header, string token)
    {
        foreach (string part in header.Split(','))
        {
            if (StringWithQualityHeaderValue.TryParse(part.Trim(), out var value)
                && value.Value.Equals(token, StringComparison.OrdinalIgnoreCase)
                && (value.Quality ?? 1) > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<IPAddress> LocalAddresses()
        => from nic in NetworkInterface.GetAllNetworkInterfaces()
           where nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback
           from unicast in nic.GetIPProperties().UnicastAddresses
           where unicast.Address.AddressFamily == AddressFamily.InterNetwork
           select unicast.Address;
}
