/** `_entities` for Partner: the id is all the catalog needs, so no lookup (unknown partners just have no rewards). */
export const partnerReference = {
  Partner: {
    __resolveReference: (reference: { id: string }) => reference,
  },
};
