using DeepLearning.Compute;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Playground;
using Playground.Model;

// No native BLAS in a browser: the managed matrix product (its 128-bit Vector path in WebAssembly) runs everything.
Backend.Default = Backend.Managed;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");
// A page's own files are fetched with JavaScript's fetch when it opens (wwwroot/js/digits.js: no .NET HTTP stack to load).
static Func<string, Task<byte[]>> Fetch(IServiceProvider services) => async path =>
{
    var js = services.GetRequiredService<IJSRuntime>();
    await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./js/digits.js");
    return await module.InvokeAsync<byte[]>("fetchBytes", path);
};
builder.Services.AddSingleton(services => new DigitAssets(Fetch(services)));
builder.Services.AddSingleton(services => new NameAssets(Fetch(services)));
await builder.Build().RunAsync();
