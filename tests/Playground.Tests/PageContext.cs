using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Index = Playground.Pages.Index;

namespace Playground.Tests;

/// <summary>A bUnit context that opens the playground at an address and waits for a page to be done: what the page tests share.</summary>
/// <typeparam name="TPage">The page the address opens (Digits, Names).</typeparam>
public abstract class PageContext<TPage> : BunitContext
    where TPage : IComponent
{
    /// <summary>Renders the playground at <c>http://localhost/</c> + <paramref name="query"/>.</summary>
    protected IRenderedComponent<Index> Open(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("http://localhost/" + query);
        return Render<Index>();
    }

    /// <summary>
    /// Waits for data-done="true" and then for the renders it started to end: a component re-renders once more after an
    /// asynchronous start completes, and an event sent to an element of a replaced render is not delivered.
    /// </summary>
    protected static void Settle(IRenderedComponent<Index> page, TimeSpan? timeout = null)
    {
        page.WaitForAssertion(() => page.Find("#playground").GetAttribute("data-done").Should().Be("true"), timeout ?? TimeSpan.FromMinutes(5)); // a hang guard: the wait ends when the page is done
        IRenderedComponent<TPage> component = page.FindComponent<TPage>();
        // Quiet for half a second, five times in a row: a late render on a busy machine restarts the count.
        for (int quiet = 0; quiet < 5;)
        {
            int renders = component.RenderCount;
            Thread.Sleep(100);
            quiet = component.RenderCount == renders ? quiet + 1 : 0;
        }
    }
}
