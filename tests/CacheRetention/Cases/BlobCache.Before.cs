using System.Collections.Concurrent;

namespace CacheRetention.Before;

/// <summary>Blobs by key, read without a lock; every write and eviction happens under one lock.</summary>
public sealed class BlobCache
{
    private readonly object _gate = new object();
    private ConcurrentDictionary<int, string> _blobs = new ConcurrentDictionary<int, string>();

    public int Count => _blobs.Count;

    public bool TryGet(int key, out string blob) => _blobs.TryGetValue(key, out blob);

    public void Put(int key, string blob)
    {
        lock (_gate)
        {
            _blobs[key] = blob;
        }
    }

    public void Evict(int key)
    {
        lock (_gate)
        {
            _blobs.TryRemove(key, out _);
        }
    }
}
