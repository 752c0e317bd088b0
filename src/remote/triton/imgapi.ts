// IMGAPI client (facts C2): manifests only; image files come from /usbkey or imgadm import.
import { z } from 'zod';
import { Uuid } from '../values.js';
import { checkArg } from './command.js';
import { type ApiCallOptions, type ApiClientOptions, createApiCaller, seg } from './api.js';
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
  };
}
export type Imgapi = ReturnType<typeof createImgapi>;
