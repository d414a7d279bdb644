/**
 * Names from public sanctions lists, copied verbatim (see README.md in this folder for sources and licences):
 * OFAC SDN (legacy CSV, July 2021, program SDNTK: Mexican and Colombian narcotics traffickers and their
 * companies) and the UN Security Council Consolidated List (February 2026). Used by the `sanctioned-parties`
 * scheme; the product itself reads the lists through its screening module, never this file.
 */

export interface ListedName {
  list: 'OFAC SDN' | 'UN';
  /** OFAC `ent_num` / UN `REFERENCE_NUMBER`. */
  id: string;
  /** Exactly as the list writes it (OFAC: `SURNAMES, Given names`; UN: given name first, upper case). */
  name: string;
  schema: 'Person' | 'Company';
  /** Where the party would bank in the world (ISO code of a world country). */
  country: string;
}

export const LISTED_NAMES: readonly ListedName[] = [
  { list: 'OFAC SDN', id: '6703', name: 'AMEZCUA CONTRERAS, Jose de Jesus', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '6706', name: 'ARELLANO FELIX, Ramon Eduardo', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '6707', name: 'CARO QUINTERO, Rafael', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '6708', name: 'CARRILLO FUENTES, Vicente', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '6857', name: 'CARDENAS GUILLEN, Osiel', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '6858', name: 'CARO QUINTERO, Miguel Angel', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '6861', name: 'GUZMAN LOERA, Joaquin', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '6863', name: 'HIGUERA GUERRERO, Ismael', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '7167', name: 'FREGOSO AMEZQUITA, Maria Antonieta', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '7169', name: 'GIL GARCIA, Jose Alejandro', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '7170', name: 'HERNANDEZ PULIDO, Maria Elda', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '7173', name: 'MORENO MEDINA, Luis Ignacio', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '7221', name: 'GONZALEZ QUIRARTE, Eduardo', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '7226', name: 'ZAMBADA GARCIA, Ismael', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '7820', name: 'ESPARRAGOZA MORENO, Juan Jose', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '7821', name: 'PALMA SALAZAR, Hector Luis', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '9335', name: 'CORONEL VILLAREAL, Ignacio', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '9338', name: 'ARRIOLA MARQUEZ, Miguel Angel', schema: 'Person', country: 'MX' },
  { list: 'OFAC SDN', id: '8137', name: 'ALBAN BURBANO, Luis Alberto', schema: 'Person', country: 'CO' },
  { list: 'OFAC SDN', id: '8138', name: 'ARROYAVE RUIZ, Elkin Alberto', schema: 'Person', country: 'CO' },
  { list: 'OFAC SDN', id: '8140', name: 'BLANCO PUERTA, Edgar Fernando', schema: 'Person', country: 'CO' },
  { list: 'OFAC SDN', id: '8147', name: 'CASTANO GIL, Carlos', schema: 'Person', country: 'CO' },
  { list: 'OFAC SDN', id: '8151', name: 'CIFUENTES GALINDO, Luis Eduardo', schema: 'Person', country: 'CO' },
  { list: 'OFAC SDN', id: '8154', name: 'GIRALDO SERNA, Hernan', schema: 'Person', country: 'CO' },
  { list: 'OFAC SDN', id: '7156', name: 'DISTRIBUIDORA IMPERIAL DE BAJA CALIFORNIA, S.A. DE C.V.', schema: 'Company', country: 'MX' },
  { list: 'OFAC SDN', id: '7157', name: 'FARMACIA VIDA SUPREMA, S.A. DE C.V.', schema: 'Company', country: 'MX' },
  { list: 'OFAC SDN', id: '9387', name: 'COMERCIALIZADORA AMIA, S.A. DE C.V.', schema: 'Company', country: 'MX' },
  { list: 'OFAC SDN', id: '9403', name: 'CAMBIOS PALMILLA S.A. DE C.V.', schema: 'Company', country: 'MX' },
  { list: 'OFAC SDN', id: '9404', name: 'GASOLINERAS SAN FERNANDO S.A. DE C.V.', schema: 'Company', country: 'MX' },
  { list: 'OFAC SDN', id: '9408', name: 'AUTO EXPRESS DORADOS S.A. DE C.V.', schema: 'Company', country: 'MX' },
  { list: 'OFAC SDN', id: '9972', name: 'INMOBILIARIA ESPARTA S.A. DE C.V.', schema: 'Company', country: 'MX' },
  { list: 'OFAC SDN', id: '9975', name: 'INMOBILIARIA TIJUANA COSTA S.A. DE C.V.', schema: 'Company', country: 'MX' },
  { list: 'OFAC SDN', id: '8134', name: 'FUNDACION PARA LA PAZ DE CORDOBA', schema: 'Company', country: 'CO' },
  { list: 'UN', id: 'HTi.001', name: 'JIMMY CHERIZIER', schema: 'Person', country: 'US' },
  { list: 'UN', id: 'HTi.002', name: 'JOHNSON ANDRE', schema: 'Person', country: 'US' },
  { list: 'UN', id: 'HTi.005', name: 'VITELHOMME INNOCENT', schema: 'Person', country: 'US' },
  { list: 'UN', id: 'CDi.005', name: 'JÉRÔME KAKWAVU BUKANDE', schema: 'Person', country: 'ES' },
  { list: 'UN', id: 'CFi.001', name: 'FRANÇOIS YANGOUVONDA BOZIZÉ', schema: 'Person', country: 'ES' },
  { list: 'UN', id: 'GBi.005', name: 'ANTÓNIO INJAI', schema: 'Person', country: 'ES' },
];
