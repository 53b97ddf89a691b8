using System.Collections.Concurrent;

namespace CacheRetention.AfterShrinkAfterRemovals;

/// <summary>Blobs by key, read without a lock; every write and eviction happens under one lock.</summary>
public sealed class BlobCache
{
    private readonly object _gate = new object();
    private ConcurrentDictionary<int, string> _blobs = new ConcurrentDictionary<int, string>();
    private int _blobsRemovalsSinceRebuild;

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
            if (++_blobsRemovalsSinceRebuild % 1024 == 0 && _blobsRemovalsSinceRebuild >= _blobs.Count)
            {
                _blobs = new ConcurrentDictionary<int, string>(_blobs, _blobs.Comparer);
                _blobsRemovalsSinceRebuild = 0;
            }
        }
    }
}
