// IMGAPI client (facts C2): manifests, and image files streamed to a sink (sync keeps copies).
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { Uuid } from '../../values/schemas.js';
import { checkArg } from './command.js';
import { API_TIMEOUT_MS, ApiError, type ApiCallOptions, type ApiClientOptions, createApiCaller, seg } from './api.js';
import { ImageManifest } from './image-manifest.js';

export const ImgapiPing = z.looseObject({
  ping: z.string().optional(),
  version: z.string().optional(),
});
export type ImgapiPing = z.infer<typeof ImgapiPing>;

export function createImgapi(client: ApiClientOptions) {
  const api = createApiCaller('IMGAPI', client);
  return {
    async ping(opts?: ApiCallOptions): Promise<ImgapiPing> {
      return api.call({ method: 'GET', path: '/ping', schema: ImgapiPing }, opts);
    },
    async getImage(uuid: string, opts?: ApiCallOptions): Promise<ImageManifest | null> {
      const path = `/images/${seg(checkArg(Uuid, uuid, 'image uuid'))}`;
      return api.callOrNull({ method: 'GET', path, schema: ImageManifest }, opts);
    },
    /** GetImageFile: the bytes go to `sink` (ended when done). false: IMGAPI has no such image (404). */
    async getImageFile(uuid: string, sink: Writable, opts: ApiCallOptions = {}): Promise<boolean> {
      const url = `${client.baseUrl.replace(/\/+$/, '')}/images/${seg(checkArg(Uuid, uuid, 'image uuid'))}/file`;
      const res = await client.transport({
        method: 'GET',
        url,
        timeoutMs: opts.timeoutMs ?? client.timeoutMs ?? API_TIMEOUT_MS,
        bodySink: sink,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      if (res.status === 404) return false;
      if (res.status < 200 || res.status >= 300) throw new ApiError('IMGAPI', 'GET', url, res.status, res.body);
      return true;
    },
  };
}
export type Imgapi = ReturnType<typeof createImgapi>;
