/** Static reference data for the demo book: people, places, and a fictional (but Indian-looking) security universe. */

export type Region = 'West' | 'North' | 'South';

export const CITIES: readonly { city: string; state: string; region: Region; weight: number }[] = [
  { city: 'Mumbai', state: 'Maharashtra', region: 'West', weight: 26 },
  { city: 'Pune', state: 'Maharashtra', region: 'West', weight: 7 },
  { city: 'Ahmedabad', state: 'Gujarat', region: 'West', weight: 7 },
  { city: 'Surat', state: 'Gujarat', region: 'West', weight: 3 },
  { city: 'Vadodara', state: 'Gujarat', region: 'West', weight: 2 },
  { city: 'Indore', state: 'Madhya Pradesh', region: 'West', weight: 2 },
  { city: 'Nagpur', state: 'Maharashtra', region: 'West', weight: 1 },
  { city: 'New Delhi', state: 'Delhi', region: 'North', weight: 14 },
  { city: 'Gurugram', state: 'Haryana', region: 'North', weight: 4 },
  { city: 'Noida', state: 'Uttar Pradesh', region: 'North', weight: 2 },
  { city: 'Jaipur', state: 'Rajasthan', region: 'North', weight: 4 },
  { city: 'Chandigarh', state: 'Chandigarh', region: 'North', weight: 2 },
  { city: 'Lucknow', state: 'Uttar Pradesh', region: 'North', weight: 2 },
  { city: 'Ludhiana', state: 'Punjab', region: 'North', weight: 2 },
  { city: 'Kolkata', state: 'West Bengal', region: 'North', weight: 6 },
  { city: 'Bhubaneswar', state: 'Odisha', region: 'North', weight: 1 },
  { city: 'Bengaluru', state: 'Karnataka', region: 'South', weight: 11 },
  { city: 'Chennai', state: 'Tamil Nadu', region: 'South', weight: 7 },
  { city: 'Hyderabad', state: 'Telangana', region: 'South', weight: 7 },
  { city: 'Kochi', state: 'Kerala', region: 'South', weight: 3 },
  { city: 'Coimbatore', state: 'Tamil Nadu', region: 'South', weight: 2 },
  { city: 'Mangaluru', state: 'Karnataka', region: 'South', weight: 1 },
];

export const SURNAMES: Record<'West' | 'North' | 'East' | 'South', readonly string[]> = {
  West: ['Shah', 'Mehta', 'Patel', 'Desai', 'Joshi', 'Kulkarni', 'Deshpande', 'Parekh', 'Doshi', 'Sanghvi', 'Kothari', 'Bhatt', 'Gokhale', 'Apte', 'Jhaveri', 'Vora', 'Thakkar', 'Pandya', 'Chitale', 'Khandelwal', 'Maheshwari', 'Ruia', 'Dalal', 'Kapadia', 'Merchant'],
  North: ['Sharma', 'Verma', 'Gupta', 'Agarwal', 'Malhotra', 'Kapoor', 'Khanna', 'Singh', 'Chopra', 'Bansal', 'Goel', 'Mittal', 'Jain', 'Arora', 'Sethi', 'Bhatia', 'Saxena', 'Srivastava', 'Mathur', 'Aggarwal', 'Ahuja', 'Tandon', 'Grover', 'Chawla', 'Dhillon'],
  East: ['Banerjee', 'Chatterjee', 'Mukherjee', 'Ghosh', 'Bose', 'Sen', 'Das', 'Dutta', 'Roy', 'Saraf', 'Jalan', 'Mohanty', 'Patnaik', 'Bagchi', 'Sinha'],
  South: ['Iyer', 'Iyengar', 'Reddy', 'Rao', 'Nair', 'Menon', 'Pillai', 'Krishnan', 'Subramanian', 'Naidu', 'Hegde', 'Shetty', 'Kamath', 'Varghese', 'Kurian', 'Venkataraman', 'Raghavan', 'Chandrasekhar', 'Prabhu', 'Pai', 'Ramachandran', 'Gopalan', 'Thomas', 'Mathew', 'Srinivasan'],
};

export const MALE_FIRST = ['Rajesh', 'Amit', 'Sanjay', 'Vikram', 'Rohit', 'Anil', 'Suresh', 'Ramesh', 'Arjun', 'Karan', 'Nikhil', 'Rahul', 'Manoj', 'Deepak', 'Ashok', 'Vivek', 'Pankaj', 'Sandeep', 'Harish', 'Mahesh', 'Prakash', 'Ajay', 'Vijay', 'Sunil', 'Naveen', 'Gaurav', 'Siddharth', 'Aditya', 'Varun', 'Kunal', 'Hemant', 'Girish', 'Dinesh', 'Mukesh', 'Rakesh', 'Sameer', 'Tarun', 'Vinod', 'Arvind', 'Srinivas', 'Venkatesh', 'Krishna', 'Subhash', 'Abhishek', 'Anand', 'Jayant', 'Nitin', 'Parag', 'Rohan', 'Yash'] as const;
export const FEMALE_FIRST = ['Priya', 'Anjali', 'Sunita', 'Kavita', 'Neha', 'Pooja', 'Meera', 'Lakshmi', 'Radha', 'Anita', 'Deepa', 'Swati', 'Shweta', 'Nandini', 'Divya', 'Rekha', 'Asha', 'Geeta', 'Shalini', 'Madhuri', 'Aarti', 'Smita', 'Vandana', 'Padma', 'Sneha', 'Ritu', 'Shruti', 'Archana', 'Jyoti', 'Usha', 'Kiran', 'Malini', 'Revathi', 'Sudha', 'Bhavna', 'Ira', 'Tanvi', 'Aparna', 'Leela', 'Gayatri'] as const;

export const ENTITY_SUFFIXES = {
  company: ['Holdings Pvt Ltd', 'Investments Pvt Ltd', 'Family Office Pvt Ltd', 'Capital Pvt Ltd', 'Enterprises Pvt Ltd'],
  trust: ['Family Trust', 'Private Trust', 'Charitable Trust'],
  firm: ['& Associates LLP', 'Ventures LLP', '& Co'],
} as const;

export type AssetClass = 'Equity' | 'Debt' | 'Gold' | 'REIT';
/** Which market factor drives a security's price. */
export type Factor = 'nifty' | 'smallCap' | 'corpBond' | 'gilt' | 'liquid' | 'gold';
export type Bucket = 'large' | 'small' | 'gsec' | 'ncd' | 'liquid' | 'gold' | 'reit';

export interface SecurityDef {
  name: string;
  /** issuer code used to build the ISIN */
  sector: string;
  bucket: Bucket;
}

const large = (name: string, sector: string): SecurityDef => ({ name, sector, bucket: 'large' });
const small = (name: string, sector: string): SecurityDef => ({ name, sector, bucket: 'small' });

/** Fictional names on purpose: prices are simulated, so no real company is shown at a made-up price. */
export const SECURITIES: readonly SecurityDef[] = [
  large('Bharat Refineries & Petrochemicals Ltd', 'Oil, Gas & Consumable Fuels'),
  large('Sahyadri Bank Ltd', 'Financial Services'),
  large('Konkan Commercial Bank Ltd', 'Financial Services'),
  large('Indus Valley Bank Ltd', 'Financial Services'),
  large('Malabar Finance Ltd', 'Financial Services'),
  large('Meru Life Insurance Company Ltd', 'Financial Services'),
  large('Trishul Infotech Ltd', 'Information Technology'),
  large('Hindustan Digital Services Ltd', 'Information Technology'),
  large('Saraswati Technologies Ltd', 'Information Technology'),
  large('Indus Consumer Products Ltd', 'Fast Moving Consumer Goods'),
  large('Annapurna Foods Ltd', 'Fast Moving Consumer Goods'),
  large('Vardhan Motors Ltd', 'Automobile and Auto Components'),
  large('Pragati Two Wheelers Ltd', 'Automobile and Auto Components'),
  large('Ganga Power Corporation Ltd', 'Power'),
  large('Aravali Steel Ltd', 'Metals & Mining'),
  large('Nilgiri Pharmaceuticals Ltd', 'Healthcare'),
  large('Dhanvantari Hospitals Ltd', 'Healthcare'),
  large('Kaveri Telecom Ltd', 'Telecommunication'),
  large('Himalaya Paints Ltd', 'Consumer Durables'),
  large('Vindhya Engineering & Construction Ltd', 'Capital Goods'),
  large('Deccan Cement Industries Ltd', 'Construction Materials'),
  large('Rajputana Jewellers Ltd', 'Consumer Durables'),
  large('Sagarmala Ports & SEZ Ltd', 'Services'),
  large('Bharat Coal & Minerals Ltd', 'Oil, Gas & Consumable Fuels'),
  large('Swarna Housing Finance Ltd', 'Financial Services'),
  large('Lokmanya Consumer Durables Ltd', 'Consumer Durables'),
  large('Shivalik Chemicals Ltd', 'Chemicals'),
  large('Airawat Aviation Ltd', 'Services'),
  small('Tapti Speciality Chemicals Ltd', 'Chemicals'),
  small('Sabarmati Textiles Ltd', 'Textiles'),
  small('Mahanadi Logistics Ltd', 'Services'),
  small('Godavari Agro Industries Ltd', 'Fast Moving Consumer Goods'),
  small('Chambal Auto Components Ltd', 'Automobile and Auto Components'),
  small('Kumaon Hotels & Resorts Ltd', 'Consumer Services'),
  small('Palghat Pipes & Tubes Ltd', 'Capital Goods'),
  small('Saurashtra Ceramics Ltd', 'Consumer Durables'),
  small('Tungabhadra Electricals Ltd', 'Capital Goods'),
  small('Krishna Valley Small Finance Bank Ltd', 'Financial Services'),
  small('Nagarjuna Software Solutions Ltd', 'Information Technology'),
  small('Brahmaputra Tea & Plantations Ltd', 'Fast Moving Consumer Goods'),
  small('Satpura Realty Ltd', 'Realty'),
  small('Vaigai Diagnostics Ltd', 'Healthcare'),
  small('Kutch Salt & Chemicals Ltd', 'Chemicals'),
  small('Sindhu Defence Systems Ltd', 'Capital Goods'),
  small('Marwar Microfinance Ltd', 'Financial Services'),
  small('Hampi Media & Entertainment Ltd', 'Media, Entertainment & Publication'),
  small('Bhima Power Equipment Ltd', 'Capital Goods'),
  small('Western Ghats Specialty Foods Ltd', 'Fast Moving Consumer Goods'),
  small('Narmada Bio-Pharma Ltd', 'Healthcare'),
  small('Coastal Aqua Farms Ltd', 'Fast Moving Consumer Goods'),
  small('Sahyog Electronics Manufacturing Ltd', 'Capital Goods'),
  small('Anand Rail Wagon Ltd', 'Capital Goods'),
  small('Mysore Silk & Apparel Ltd', 'Textiles'),
  small('Orissa Aluminium Products Ltd', 'Metals & Mining'),
  small('Prayag Paper Mills Ltd', 'Forest Materials'),
  small('Vidarbha Fertilisers Ltd', 'Chemicals'),
  { name: '7.26% GOI 2033', sector: 'Sovereign', bucket: 'gsec' },
  { name: '7.18% GOI 2037', sector: 'Sovereign', bucket: 'gsec' },
  { name: '7.10% GOI 2034', sector: 'Sovereign', bucket: 'gsec' },
  { name: '6.54% GOI 2032', sector: 'Sovereign', bucket: 'gsec' },
  { name: '7.38% GOI 2027', sector: 'Sovereign', bucket: 'gsec' },
  { name: '7.72% Maharashtra SDL 2032', sector: 'Sovereign', bucket: 'gsec' },
  { name: '7.75% Swarna Housing Finance NCD 2028', sector: 'Corporate Bond', bucket: 'ncd' },
  { name: '8.10% Malabar Finance NCD 2027', sector: 'Corporate Bond', bucket: 'ncd' },
  { name: '7.40% Ganga Power Corporation NCD 2030', sector: 'Corporate Bond', bucket: 'ncd' },
  { name: '7.55% National Infrastructure Finance Bonds 2031', sector: 'Corporate Bond', bucket: 'ncd' },
  { name: '7.95% Sahyadri Bank Tier II Bonds 2029', sector: 'Corporate Bond', bucket: 'ncd' },
  { name: '8.40% Vindhya Engineering NCD 2026', sector: 'Corporate Bond', bucket: 'ncd' },
  { name: 'Sahyadri Liquid Fund - Direct Plan - Growth', sector: 'Liquid Fund', bucket: 'liquid' },
  { name: 'Konkan Overnight Fund - Direct Plan - Growth', sector: 'Liquid Fund', bucket: 'liquid' },
  { name: 'Suvarna Gold ETF', sector: 'Gold', bucket: 'gold' },
  { name: 'SGB 2.50% Series IV 2028', sector: 'Gold', bucket: 'gold' },
  { name: 'Bengaluru Business Parks REIT', sector: 'Realty', bucket: 'reit' },
  { name: 'Mumbai Office Spaces REIT', sector: 'Realty', bucket: 'reit' },
];

export const RISK_PROFILES = ['Conservative', 'Moderately Conservative', 'Moderate', 'Moderately Aggressive', 'Aggressive'] as const;
export type RiskProfile = (typeof RISK_PROFILES)[number];

/** Strategy choice by risk profile (weights over LCE, MSC, FLX, DBT, HYB, MAS). */
export const STRATEGY_BY_RISK: Record<RiskProfile, Record<string, number>> = {
  Conservative: { LCE: 1, MSC: 0, FLX: 0, DBT: 6, HYB: 3, MAS: 2 },
  'Moderately Conservative': { LCE: 3, MSC: 0, FLX: 1, DBT: 3, HYB: 4, MAS: 3 },
  Moderate: { LCE: 5, MSC: 1, FLX: 3, DBT: 1, HYB: 3, MAS: 3 },
  'Moderately Aggressive': { LCE: 5, MSC: 3, FLX: 5, DBT: 0, HYB: 1, MAS: 2 },
  Aggressive: { LCE: 3, MSC: 6, FLX: 5, DBT: 0, HYB: 0, MAS: 1 },
};

/** ISIN check digit (ISO 6166: letters to numbers, Luhn over the digit string). */
export function isinCheckDigit(first11: string): number {
  let digits = '';
  for (const ch of first11) {
    const c = ch.charCodeAt(0);
    digits += c >= 65 && c <= 90 ? String(c - 55) : ch;
  }
  let sum = 0;
  let double = true;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidIsin(isin: string): boolean {
  return /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/.test(isin) && isinCheckDigit(isin.slice(0, 11)) === Number(isin[11]);
}
