/**
 * Names of the world's people and businesses, for `parties.csv` (what a bank's customer file or an FIU's
 * report holds next to the accounts) and for sanctions screening: Spanish-style full names (given name(s),
 * father's and mother's surname) in Mexico, Central America, Colombia and Spain; a mix of Anglo, Hispanic
 * and Asian names in the US; businesses named the way each country registers them (S.A. de C.V., S.A.S.,
 * S.L., LLC). The lists are the most common given names and surnames of each region (public statistics
 * offices' frequency tables, rounded to a few dozen each): common names collide with listed names, as they
 * do in real screening.
 */
import type { Rng } from './rng.js';

const HISPANIC_MALE = [
  'José', 'Juan', 'Luis', 'Carlos', 'Jorge', 'Miguel', 'Francisco', 'Jesús', 'Alejandro', 'Antonio', 'Pedro', 'Manuel',
  'Ricardo', 'Fernando', 'Roberto', 'Eduardo', 'Javier', 'Rafael', 'Sergio', 'Daniel', 'Mario', 'Raúl', 'Arturo', 'Héctor',
  'Óscar', 'Víctor', 'Andrés', 'Julio', 'Diego', 'Ángel', 'Enrique', 'Alberto', 'Gerardo', 'Ramón', 'Hugo', 'Ignacio',
  'Rubén', 'Santiago', 'Sebastián', 'Mateo', 'Alfredo', 'Armando', 'Edgar', 'Iván', 'Joaquín', 'Ismael', 'Gustavo', 'Germán',
];
const HISPANIC_FEMALE = [
  'María', 'Guadalupe', 'Ana', 'Rosa', 'Laura', 'Carmen', 'Patricia', 'Leticia', 'Verónica', 'Gabriela', 'Alejandra', 'Adriana',
  'Claudia', 'Silvia', 'Martha', 'Elizabeth', 'Sofía', 'Valentina', 'Camila', 'Isabel', 'Fernanda', 'Daniela', 'Lucía', 'Elena',
  'Teresa', 'Beatriz', 'Mónica', 'Sandra', 'Diana', 'Paola', 'Andrea', 'Lorena', 'Cristina', 'Juana', 'Margarita', 'Gloria',
  'Yolanda', 'Norma', 'Rocío', 'Mariana', 'Natalia', 'Ximena', 'Paula', 'Carolina', 'Pilar', 'Antonia', 'Esperanza', 'Alicia',
];
const HISPANIC_SURNAMES = [
  'García', 'Hernández', 'Martínez', 'López', 'González', 'Rodríguez', 'Pérez', 'Sánchez', 'Ramírez', 'Flores', 'Gómez', 'Díaz',
  'Cruz', 'Morales', 'Reyes', 'Gutiérrez', 'Ortiz', 'Jiménez', 'Ruiz', 'Álvarez', 'Torres', 'Vázquez', 'Castillo', 'Romero',
  'Mendoza', 'Moreno', 'Herrera', 'Medina', 'Aguilar', 'Vargas', 'Castro', 'Ramos', 'Guzmán', 'Fernández', 'Muñoz', 'Rojas',
  'Contreras', 'Salazar', 'Chávez', 'Domínguez', 'Luna', 'Ríos', 'Soto', 'Delgado', 'Estrada', 'Navarro', 'Cárdenas', 'Carrillo',
  'Quintero', 'Valencia', 'Fuentes', 'Guerrero', 'Suárez', 'Velásquez', 'Osorio', 'Cabrera', 'Molina', 'Silva', 'Pineda', 'Mejía',
  'Orellana', 'Alvarado', 'Barrios', 'Calderón', 'Zelaya', 'Argueta', 'Escobar', 'Marín', 'Giraldo', 'Cardona', 'Restrepo', 'Londoño',
  'Montoya', 'Serrano', 'Blanco', 'Iglesias', 'Martín', 'Sanz', 'Gil', 'Prieto', 'Vidal', 'Navarrete', 'Ibarra', 'Acosta',
  'Salinas', 'Figueroa', 'Espinoza', 'Villanueva', 'Medrano', 'Galindo', 'Félix', 'Loera', 'Palma', 'Esparza', 'Beltrán', 'Robles',
];
const US_MALE = [
  'James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Christopher', 'Charles', 'Daniel',
  'Matthew', 'Anthony', 'Mark', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kevin', 'Brian', 'Ryan', 'Jason', 'Eric', 'Tyler', 'Kyle',
];
const US_FEMALE = [
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Lisa', 'Nancy',
  'Betty', 'Sandra', 'Ashley', 'Emily', 'Michelle', 'Amanda', 'Melissa', 'Stephanie', 'Rebecca', 'Laura', 'Megan', 'Hannah',
];
const US_SURNAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore',
  'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King',
  'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips',
  'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Reed', 'Bailey',
];
const ASIAN_GIVEN = ['Wei', 'Jun', 'Li', 'Ming', 'Hao', 'Yan', 'Jing', 'Min', 'Anh', 'Linh', 'Ji-woo', 'Min-jun', 'Priya', 'Raj', 'Amit', 'Mei'];
const ASIAN_SURNAMES = ['Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Huang', 'Nguyen', 'Tran', 'Kim', 'Park', 'Patel', 'Shah', 'Wu', 'Lin', 'Zhou', 'Xu'];

/** Share of US residents with Hispanic and with Asian names (US Census 2020: about 19 % and 6 %). */
const US_HISPANIC = 0.19;
const US_ASIAN = 0.06;

const PLACES = ['del Norte', 'del Pacífico', 'del Golfo', 'San Miguel', 'La Esperanza', 'El Sol', 'Santa Fe', 'San José', 'Las Palmas', 'del Valle', 'Central', 'Real'];
const US_PLACES = ['Northside', 'Lakeview', 'Riverside', 'Pinecrest', 'Summit', 'Harbor', 'Golden State', 'Lone Star', 'Midwest', 'Eastgate', 'Bayview', 'Redwood'];

/** Business line words per role (Spanish, English). */
const TRADE: Readonly<Record<string, readonly [string, string]>> = {
  employer: ['Industrias', 'Manufacturing'],
  supplier: ['Distribuidora', 'Supply'],
  landlord: ['Inmobiliaria', 'Properties'],
  utility: ['Servicios Públicos', 'Utilities'],
  lender: ['Financiera', 'Lending'],
  dealer: ['Automotriz', 'Motors'],
  school: ['Colegio', 'Academy'],
  'remittance-agent': ['Envíos', 'Money Transfer'],
  exchange: ['Intercambio Digital', 'Digital Exchange'],
  grocery: ['Abarrotes', 'Grocery'],
  restaurant: ['Restaurante', 'Grill'],
  fuel: ['Gasolinera', 'Fuel'],
  pharmacy: ['Farmacia', 'Pharmacy'],
  clothing: ['Boutique', 'Apparel'],
  online: ['Comercio Electrónico', 'Online'],
  electronics: ['Electrónica', 'Electronics'],
  travel: ['Viajes', 'Travel'],
  entertainment: ['Entretenimiento', 'Entertainment'],
  import: ['Importadora', 'Imports'],
  trading: ['Comercializadora', 'Trading'],
};

const LEGAL_FORM: Readonly<Record<string, readonly string[]>> = {
  MX: ['S.A. de C.V.', 'S. de R.L. de C.V.', 'S.A.P.I. de C.V.'],
  CO: ['S.A.S.', 'S.A.', 'Ltda.'],
  ES: ['S.L.', 'S.A.'],
  GT: ['S.A.'],
  HN: ['S.A.', 'S. de R.L.'],
  SV: ['S.A. de C.V.'],
  US: ['LLC', 'Inc.', 'Corp.'],
};

export type PartySchema = 'Person' | 'Company';

function spanishName(rng: Rng): string {
  const male = rng.chance(0.5);
  const pool = male ? HISPANIC_MALE : HISPANIC_FEMALE;
  let given = rng.pick(pool);
  if (rng.chance(0.3)) {
    const second = rng.pick(pool);
    if (second !== given) given = `${given} ${second}`;
  }
  if (!male && rng.chance(0.08)) given = `María ${given === 'María' ? 'José' : given}`;
  return `${given} ${rng.pick(HISPANIC_SURNAMES)} ${rng.pick(HISPANIC_SURNAMES)}`;
}

/** A person's full name as a resident of `country` (ISO code) would have it. */
export function personName(rng: Rng, country: string): string {
  if (country !== 'US' && country !== '') return spanishName(rng);
  const u = rng.next();
  if (u < US_HISPANIC) {
    // First-generation migrants keep both surnames; their children often only the first.
    const name = spanishName(rng);
    return rng.chance(0.5) ? name : name.split(' ').slice(0, -1).join(' ');
  }
  if (u < US_HISPANIC + US_ASIAN) return `${rng.pick(ASIAN_GIVEN)} ${rng.pick(ASIAN_SURNAMES)}`;
  const given = rng.chance(0.5) ? rng.pick(US_MALE) : rng.pick(US_FEMALE);
  const middle = rng.chance(0.25) ? ` ${String.fromCharCode(65 + rng.int(26))}.` : '';
  return `${given}${middle} ${rng.pick(US_SURNAMES)}`;
}

/** A business name for `trade` (a role or merchant category) registered in `country`. */
export function companyName(rng: Rng, country: string, trade: string): string {
  const words = TRADE[trade] ?? TRADE.trading!;
  const form = rng.pick(LEGAL_FORM[country] ?? ['Ltd.']);
  if (country === 'US' || country === '') {
    const base = rng.chance(0.5) ? rng.pick(US_SURNAMES) : rng.pick(US_PLACES);
    return `${base} ${words[1]} ${form}`;
  }
  const base = rng.chance(0.5) ? rng.pick(HISPANIC_SURNAMES) : rng.pick(PLACES);
  return `${words[0]} ${base} ${form}`;
}

const CHINESE_GIVEN = ['Wei', 'Jun', 'Hao', 'Yan', 'Jing', 'Min', 'Lei', 'Tao', 'Xin', 'Yu', 'Hui', 'Fang', 'Qiang', 'Ling', 'Bo', 'Chao'];
const CHINESE_SURNAMES = ['Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo', 'Lin'];

/** A Chinese name as written in Latin letters (pinyin, given name first, as on a US bank account). */
export function chinesePersonName(rng: Rng): string {
  return `${rng.pick(CHINESE_GIVEN)} ${rng.pick(CHINESE_SURNAMES)}`;
}
