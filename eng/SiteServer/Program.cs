// The docs site, served as a teacher would serve it to a class: `serve DIR [--port N] [--classroom]` sends F.br or F.gz
// in place of F to a browser that accepts it, and `compress DIR` writes those copies beside every file worth compressing.
// Why a program of our own: ASP.NET Core's static files (used here) send a file as it is, and the .NET tool that sends
// precompressed copies (dotnet-serve) is not served by our package registry; nginx and Caddy do it too
// (docs/engineering.md, "Serving the site").
using SiteServer;

return args switch
{
    ["compress", string folder] => Compression.CompressFolder(folder),
    ["serve", string folder, .. var rest] => Serving.Run(folder, rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: SiteServer serve DIR [--port N] [--classroom] | SiteServer compress DIR");
    return 2;
}
