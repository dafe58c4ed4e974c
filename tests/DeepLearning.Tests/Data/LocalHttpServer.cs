using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DeepLearning.Tests.Data;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (a free port) that answers each path the way a test asks: a file, a 404, a body cut
/// short, or silence. It only ever listens on loopback and stops on dispose.
/// </summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, Func<NetworkStream, CancellationToken, Task>> _routes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalHttpServer()
    {
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/mnist/");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseAddress { get; }

    public int Requests;

    public void ServeFile(string name, byte[] body) => _routes["/mnist/" + name] = (s, ct) => Respond(s, "200 OK", body, body.Length, ct);

    public void ServeTruncated(string name, byte[] body) => _routes["/mnist/" + name] = (s, ct) => Respond(s, "200 OK", body[..(body.Length / 2)], body.Length, ct);

    /// <summary>A body without Content-Length that never ends: a chunk every 10 ms until the client hangs up.</summary>
    public void ServeEndless(string name) => _routes["/mnist/" + name] = async (s, ct) =>
    {
        await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"), ct);
        var chunk = new byte[16384];
        while (!ct.IsCancellationRequested)
        {
            await s.WriteAsync(chunk, ct);
            await Task.Delay(10, ct);
        }
    };

    /// <summary>Announces a Content-Length of <paramref name="announced"/> bytes.</summary>
    public void ServeAnnouncing(string name, long announced) => _routes["/mnist/" + name] = (s, ct) => Respond(s, "200 OK", new byte[16], announced, ct);

    public void ServeStall(string name) => _routes["/mnist/" + name] = async (_, ct) => await Task.Delay(TimeSpan.FromSeconds(30), ct);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => Handle(client));
        }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                string path = await ReadRequestPath(stream);
                Interlocked.Increment(ref Requests);
                if (_routes.TryGetValue(path, out Func<NetworkStream, CancellationToken, Task>? route))
                {
                    await route(stream, _stop.Token);
                }
                else
                {
                    await Respond(stream, "404 Not Found", "not here"u8.ToArray(), 8, _stop.Token);
                }
            }
            catch (Exception)
            {
                // the client went away or the server stopped
            }
        }
    }

    private static async Task<string> ReadRequestPath(NetworkStream stream)
    {
        var request = new StringBuilder();
        var buffer = new byte[1024];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        string[] requestLine = request.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length > 1 ? requestLine[1] : "/";
    }

    private static async Task Respond(NetworkStream stream, string status, byte[] body, long contentLength, CancellationToken ct)
    {
        byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: {contentLength}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head, ct);
        await stream.WriteAsync(body, ct);
        await stream.FlushAsync(ct);
    }
}
