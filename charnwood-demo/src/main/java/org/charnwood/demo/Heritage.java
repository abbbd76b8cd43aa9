package org.charnwood.demo;

import java.util.List;

/**
 * Name pools for the communities of Leicester, Leicestershire and Rutland, each tied to the NHS ethnic category
 * people of that background most often give. Weights are rough shares from the 2021 census for the city and for
 * the county, enough to make a patient list look like the area's without claiming to be statistics.
 */
enum Heritage {
    WHITE_BRITISH("A", "White - British", 33, 84,
            List.of("Oliver", "Jack", "Harry", "George", "Thomas", "James", "William", "David", "John", "Michael",
                    "Peter", "Robert", "Richard", "Stephen", "Paul", "Mark", "Daniel", "Matthew", "Christopher",
                    "Andrew", "Alan", "Keith", "Brian", "Colin", "Derek", "Graham", "Ian", "Kevin", "Leo", "Alfie"),
            List.of("Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lily", "Jessica", "Emma",
                    "Sarah", "Rebecca", "Claire", "Helen", "Karen", "Susan", "Margaret", "Patricia", "Jean", "Joan",
                    "Dorothy", "Elizabeth", "Mary", "Barbara", "Pauline", "Janet", "Julie", "Lisa", "Hannah",
                    "Freya"),
            List.of("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
                    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
                    "Clarke", "Harris", "Lewis", "Hughes", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris",
                    "King", "Baker", "Harrison", "Morgan", "Allen", "Marshall", "Shaw", "Bennett", "Cartwright",
                    "Spencer", "Pickering", "Bradshaw", "Ashby", "Hextall", "Burton", "Smith-Jones")),
    WHITE_IRISH("B", "White - Irish", 1, 1,
            List.of("Patrick", "Sean", "Declan", "Ciaran", "Eamon", "Michael", "Liam", "Conor"),
            List.of("Siobhan", "Niamh", "Aoife", "Bridget", "Mary", "Roisin", "Ciara", "Orla"),
            List.of("Murphy", "Kelly", "O'Brien", "Byrne", "Ryan", "Doyle", "McCarthy", "Gallagher", "O'Connor",
                    "Quinn")),
    WHITE_OTHER("C", "White - Any other White background", 7, 4,
            List.of("Piotr", "Tomasz", "Krzysztof", "Marek", "Jakub", "Mateusz", "Ion", "Andrei", "Mihai",
                    "Lukas", "Marco"),
            List.of("Agnieszka", "Katarzyna", "Anna", "Magdalena", "Joanna", "Ewa", "Elena", "Ioana", "Alina",
                    "Giulia", "Zofia"),
            List.of("Nowak", "Mazur", "Krawczyk", "Kaczmarek", "Wojcik", "Popescu", "Ionescu", "Popa", "Dumitru",
                    "Rossi", "Silva")),
    MIXED("G", "Mixed - Any other mixed background", 4, 2, null, null, null),
    INDIAN("H", "Asian or Asian British - Indian", 34, 6,
            List.of("Raj", "Sanjay", "Vijay", "Amit", "Ravi", "Dinesh", "Pravin", "Jayesh", "Hitesh", "Mahesh",
                    "Nilesh", "Arjun", "Rohan", "Dev", "Kiran", "Harjit", "Gurpreet", "Jaswinder", "Sukhdev",
                    "Manjit"),
            List.of("Priya", "Anjali", "Meera", "Nisha", "Pooja", "Hema", "Jyoti", "Sunita", "Kavita", "Bhavna",
                    "Rekha", "Asha", "Sonia", "Harpreet", "Simran", "Kamaljit", "Parminder", "Anika", "Diya",
                    "Riya"),
            List.of("Patel", "Mistry", "Parmar", "Chauhan", "Solanki", "Lad", "Shah", "Joshi", "Pandya", "Modi",
                    "Vaghela", "Makwana", "Gohil", "Sharma", "Singh", "Sandhu", "Gill", "Dhillon", "Bains",
                    "Sidhu", "Kotecha", "Thakrar", "Chudasama", "Lakhani", "Karia")),
    PAKISTANI("J", "Asian or Asian British - Pakistani", 3, 1,
            List.of("Mohammed", "Imran", "Asif", "Tariq", "Bilal", "Usman", "Hamza", "Zain", "Omar", "Faisal"),
            List.of("Aisha", "Fatima", "Zainab", "Amina", "Ayesha", "Sana", "Nadia", "Samina", "Maryam", "Hira"),
            List.of("Khan", "Hussain", "Ahmed", "Ali", "Iqbal", "Malik", "Akhtar", "Rashid", "Qureshi",
                    "Mahmood")),
    BANGLADESHI("K", "Asian or Asian British - Bangladeshi", 2, 0,
            List.of("Abdul", "Rahim", "Jamal", "Shafiq", "Sayed", "Rezaul"),
            List.of("Rokeya", "Shirin", "Taslima", "Nasima", "Rupa", "Shapla"),
            List.of("Miah", "Uddin", "Rahman", "Islam", "Choudhury", "Hoque")),
    OTHER_ASIAN("L", "Asian or Asian British - Any other Asian background", 3, 1,
            List.of("Ahmad", "Farid", "Suresh", "Nimal", "Hamid", "Kasun"),
            List.of("Laila", "Shanthi", "Dilani", "Mariam", "Parisa", "Nadeeka"),
            List.of("Rahimi", "Perera", "Fernando", "Karimi", "Silva", "Jayasuriya")),
    BLACK_CARIBBEAN("M", "Black or Black British - Caribbean", 1, 0,
            List.of("Marcus", "Delroy", "Winston", "Tyrone", "Andre", "Courtney"),
            List.of("Marcia", "Janice", "Beverley", "Sharon", "Tanisha", "Keisha"),
            List.of("Campbell", "Reid", "Francis", "Grant", "Samuels", "Henry", "Edwards", "Thomas")),
    BLACK_AFRICAN("N", "Black or Black British - African", 6, 1,
            List.of("Abdi", "Mohamed", "Hassan", "Yusuf", "Chinedu", "Oluwaseun", "Tendai", "Kwame", "Emeka",
                    "Kofi"),
            List.of("Hodan", "Fadumo", "Ayan", "Hibo", "Ngozi", "Adaeze", "Chipo", "Nyasha", "Abena", "Folake"),
            List.of("Abdi", "Warsame", "Farah", "Jama", "Osman", "Okafor", "Adeyemi", "Moyo", "Ndlovu", "Mensah",
                    "Okonkwo")),
    CHINESE("R", "Other Ethnic Groups - Chinese", 1, 0,
            List.of("Wei", "Jun", "Ming", "Hao", "Jian"),
            List.of("Mei", "Li", "Xin", "Ying", "Hui"),
            List.of("Wong", "Chen", "Li", "Zhang", "Liu", "Lam", "Cheung")),
    NOT_STATED("Z", "Not stated", 5, 2, null, null, null);

    private final String ethnicCode;
    private final String ethnicDisplay;
    private final int cityWeight;
    private final int countyWeight;
    private final List<String> maleGiven;
    private final List<String> femaleGiven;
    private final List<String> family;

    Heritage(String ethnicCode, String ethnicDisplay, int cityWeight, int countyWeight, List<String> maleGiven,
             List<String> femaleGiven, List<String> family) {
        this.ethnicCode = ethnicCode;
        this.ethnicDisplay = ethnicDisplay;
        this.cityWeight = cityWeight;
        this.countyWeight = countyWeight;
        this.maleGiven = maleGiven;
        this.femaleGiven = femaleGiven;
        this.family = family;
    }

    Code ethnicCategory() {
        return new Code(UkCore.CS_ETHNIC_CATEGORY, ethnicCode, ethnicDisplay);
    }

    int weight(boolean city) {
        return city ? cityWeight : countyWeight;
    }

    /** Whether this heritage has its own name pools; mixed and not-stated people borrow from the others. */
    boolean hasNames() {
        return family != null;
    }

    List<String> given(boolean female) {
        return female ? femaleGiven : maleGiven;
    }

    List<String> family() {
        return family;
    }
}
