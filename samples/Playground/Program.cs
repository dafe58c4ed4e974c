using DeepLearning.Compute;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Playground;

// No native BLAS in a browser: the managed matrix product (its 128-bit Vector path in WebAssembly) runs everything.
Backend.Default = Backend.Managed;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");
await builder.Build().RunAsync();
