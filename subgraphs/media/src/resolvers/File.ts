import type { FileResolvers } from '../generated/resolvers-types';
import { seesFile } from '../uploads/file-access';

export const File: FileResolvers = {
  __resolveReference: async (reference, { loaders, viewer }) => {
    const file = await loaders.file.load(reference.id);
    return file && seesFile(viewer, file) ? file : null;
  },
  url: (file, _args, { uploads }) => uploads.downloadUrl(file),
};
