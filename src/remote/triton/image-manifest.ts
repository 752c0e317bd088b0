// Image manifests as imgadm and IMGAPI print them (facts C2). Shared by imgadm.ts and imgapi.ts.
import { z } from 'zod';
import { Uuid } from '../../values/schemas.js';

export const ImageFile = z.looseObject({
  sha1: z.string(),
  size: z.number(),
  compression: z.string(),
});

export const ImageManifest = z.looseObject({
  v: z.number().optional(),
  uuid: Uuid,
  name: z.string(),
  version: z.string(),
  // Incremental images: the origin must be installed first.
  origin: Uuid.optional(),
  type: z.string().optional(),
  os: z.string().optional(),
  files: z.array(ImageFile).optional(),
  state: z.string().optional(),
});
export type ImageManifest = z.infer<typeof ImageManifest>;
